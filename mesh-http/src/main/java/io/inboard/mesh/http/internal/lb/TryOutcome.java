package io.inboard.mesh.http.internal.lb;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * How one try ended, in the terms retry and outlier policies are written in. It lives with load
 * balancing, the lower of the two stages that read it: outlier ejection records it per endpoint
 * here, and the retrying call in {@code resilience} decides on it.
 */
public enum TryOutcome {
  /** A response below 500. */
  RESPONSE,
  /** A 5xx response other than 502, 503 and 504. */
  SERVER_ERROR,
  /** A 502, 503 or 504 response. */
  GATEWAY_ERROR,
  /** The connection could not be established, or its establishment timed out. */
  CONNECT_FAILURE,
  /** The connection broke before a whole response arrived. */
  RESET,
  /** The try's timeout passed before the response arrived. */
  TIMEOUT,
  /** Not the endpoint's doing: cancelled by the caller, or a bad request or body handler. */
  LOCAL;

  /** Classifies one try: its response, or the failure it ended with ({@code null} if none). */
  public static TryOutcome of(HttpResponse<?> response, Throwable failure) {
    if (failure == null) {
      int status = response.statusCode();
      if (status == 502 || status == 503 || status == 504) {
        return GATEWAY_ERROR;
      }
      return status >= 500 ? SERVER_ERROR : RESPONSE;
    }
    Throwable t = unwrap(failure);
    if (t instanceof HttpConnectTimeoutException || t instanceof ConnectException) {
      return CONNECT_FAILURE;
    }
    if (t instanceof HttpTimeoutException) {
      return TIMEOUT;
    }
    if (t instanceof IOException) {
      return t.getCause() instanceof ConnectException ? CONNECT_FAILURE : RESET;
    }
    return LOCAL;
  }

  /** Whether the endpoint should be blamed as Envoy would: a 5xx or a locally seen failure. */
  public boolean isServerFailure() {
    return this != RESPONSE && this != LOCAL;
  }

  /**
   * Whether the outcome counts as a gateway error. Local failures do: Envoy maps them to 503 and
   * 504 when it does not split local from upstream errors, which is Istio's setting.
   */
  public boolean isGatewayFailure() {
    return this == GATEWAY_ERROR || this == CONNECT_FAILURE || this == RESET || this == TIMEOUT;
  }

  /** {@code t} without the {@link CompletionException} and {@link ExecutionException} wrappers. */
  public static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
