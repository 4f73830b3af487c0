package io.inboard.mesh.http.internal.telemetry;

import io.inboard.mesh.api.ServiceUnavailableException;
import io.inboard.mesh.api.internal.telemetry.ResponseFlag;
import io.inboard.mesh.http.internal.lb.TryOutcome;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.CancellationException;

/**
 * Envoy's response flags (observability.md §1) as bits, their text, and the local reply each
 * way of ending without an upstream response stands for: the status Envoy's local reply
 * carries and its {@code %RESPONSE_CODE_DETAILS%}. The one place the HTTP plane maps outcomes
 * to Envoy's words.
 *
 * <p>Retries: as Envoy's router does, {@link #URX} is set whenever the retry limit stopped a
 * call whose last attempt was retriable, also when that attempt was a 5xx <em>response</em>
 * (the report then carries the upstream's status, {@code via_upstream} and {@code URX}).
 */
public final class ResponseFlags {

  /** No healthy upstream: no endpoint ready, or every one ejected. */
  public static final int UH = ResponseFlag.UH.bit();
  /** Upstream request timeout: the route's timeout or the last try's per-try timeout. */
  public static final int UT = ResponseFlag.UT.bit();
  /** Upstream remote reset: the endpoint reset the connection (TCP RST) before answering. */
  public static final int UR = ResponseFlag.UR.bit();
  /** Upstream connection failure: connect refused or timed out. */
  public static final int UF = ResponseFlag.UF.bit();
  /** Upstream connection termination: the endpoint closed the connection before answering. */
  public static final int UC = ResponseFlag.UC.bit();
  /** Upstream overflow: shed by the connection-pool limits or the circuit breaker. */
  public static final int UO = ResponseFlag.UO.bit();
  /** No route matched. */
  public static final int NR = ResponseFlag.NR.bit();
  /** Delay injected by a fault. */
  public static final int DI = ResponseFlag.DI.bit();
  /** Abort injected by a fault. */
  public static final int FI = ResponseFlag.FI.bit();
  /** Downstream connection termination: the caller went away (or cancelled the call). */
  public static final int DC = ResponseFlag.DC.bit();
  /** Upstream retry limit exceeded. */
  public static final int URX = ResponseFlag.URX.bit();
  /** No cluster: the route's cluster (or the service) is not known. */
  public static final int NC = ResponseFlag.NC.bit();

  /** Envoy's details for an answer from the upstream. */
  public static final String VIA_UPSTREAM = "via_upstream";

  /** What a call that ended without an upstream response reports. */
  public record Reply(int flag, int status, String details) {}

  public static final Reply NO_HEALTHY_UPSTREAM = new Reply(UH, 503, "no_healthy_upstream");
  public static final Reply TIMEOUT = new Reply(UT, 504, "response_timeout");
  public static final Reply PER_TRY_TIMEOUT = new Reply(UT, 504, "upstream_per_try_timeout");
  public static final Reply CONNECTION_FAILURE = new Reply(UF, 503,
      "upstream_reset_before_response_started{connection_failure}");
  public static final Reply CONNECTION_TERMINATION = new Reply(UC, 503,
      "upstream_reset_before_response_started{connection_termination}");
  public static final Reply REMOTE_RESET = new Reply(UR, 503,
      "upstream_reset_before_response_started{remote_reset}");
  public static final Reply OVERFLOW = new Reply(UO, 503,
      "upstream_reset_before_response_started{overflow}");
  public static final Reply NO_CLUSTER = new Reply(NC, 503, "cluster_not_found");
  public static final Reply NO_ROUTE = new Reply(NR, 404, "route_not_found");
  public static final Reply FAULT_ABORT = new Reply(FI, 0, "fault_filter_abort");
  public static final Reply CALLER_WENT_AWAY = new Reply(DC, 0, "downstream_remote_disconnect");
  public static final Reply LOCAL_ERROR = new Reply(0, 0, "local_error");

  private ResponseFlags() {}

  /** {@code flags} as Envoy writes them: codes joined with {@code ,}, or {@code -}. */
  public static String text(int flags) {
    return ResponseFlag.text(flags);
  }

  /** The local reply for a call that ended with {@code failure} and no response. */
  public static Reply of(Throwable failure) {
    Throwable t = TryOutcome.unwrap(failure);
    if (t instanceof ServiceUnavailableException s) {
      return switch (s.reason()) {
        case OVERLOADED, CIRCUIT_OPEN -> OVERFLOW;
        case NO_READY_ENDPOINTS -> NO_HEALTHY_UPSTREAM;
        case TLS_UNAVAILABLE -> CONNECTION_FAILURE;
        case SERVICE_NOT_FOUND, NAMESPACE_NOT_FOUND, PORT_NOT_FOUND, NOT_YET_DISCOVERED ->
            NO_CLUSTER;
      };
    }
    if (t instanceof HttpConnectTimeoutException || t instanceof ConnectException) {
      return CONNECTION_FAILURE;
    }
    if (t instanceof HttpTimeoutException) {
      return TIMEOUT;
    }
    if (t instanceof CancellationException) {
      return CALLER_WENT_AWAY;
    }
    if (t instanceof IOException) {
      for (Throwable c = t; c != null; c = c.getCause()) {
        if (c instanceof ConnectException) {
          return CONNECTION_FAILURE;
        }
        // a TCP RST reads "Connection reset"; a plain close (FIN) reads as an EOF
        if (c instanceof IOException && c.getMessage() != null
            && c.getMessage().contains("Connection reset")) {
          return REMOTE_RESET;
        }
      }
      return CONNECTION_TERMINATION;
    }
    return LOCAL_ERROR;
  }
}
