package io.inboard.mesh.http.internal.resilience;

import io.inboard.mesh.api.policy.RetryOn;
import io.inboard.mesh.http.internal.lb.TryOutcome;
import java.net.http.HttpResponse;

/** Which {@link TryOutcome}s a route's {@code retryOn} retries. */
final class RetriableOutcomes {
  private RetriableOutcomes() {}

  /**
   * Whether {@code retryOn} retries {@code outcome}. A per-try timeout is retried under
   * {@code 5xx}, {@code gateway-error} and {@code reset}, as in Envoy.
   *
   * @param response the try's response; read only for outcomes that have one
   */
  static boolean retriable(TryOutcome outcome, RetryOn retryOn, HttpResponse<?> response) {
    return switch (outcome) {
      case RESPONSE, SERVER_ERROR, GATEWAY_ERROR -> retryOn.retriesStatus(response.statusCode());
      case CONNECT_FAILURE -> retryOn.retriesConnectFailure();
      case RESET -> retryOn.retriesReset();
      case TIMEOUT -> retryOn.retriesReset()
          || retryOn.conditions().contains(RetryOn.Condition.GATEWAY_ERROR);
      case LOCAL -> false;
    };
  }
}
