package io.inboard.mesh.api.policy;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How a failed call is retried. Mirrors Istio's {@code HTTPRetry}.
 *
 * <p>{@code attempts} counts <em>retries</em>, as in Istio: with {@code attempts = 2} a call is
 * sent at most three times. Between tries the client waits a jittered exponential backoff that
 * starts at {@code baseBackoff} and is capped at {@code maxBackoff} (Envoy's defaults: 25 ms and
 * ten times that). Where more than one endpoint is available a retry goes to a different one.
 *
 * @param attempts the number of retries; {@code 0} disables retries
 * @param perTryTimeout the timeout of each try, or {@link Duration#ZERO} for none (the overall
 *     timeout still applies)
 * @param retryOn the conditions that trigger a retry
 * @param baseBackoff the first backoff interval (default 25 ms)
 * @param maxBackoff the largest backoff interval (default 250 ms)
 */
public record RetryPolicy(
    int attempts, Duration perTryTimeout, RetryOn retryOn, Duration baseBackoff,
    Duration maxBackoff) {

  /** Envoy's default first backoff interval. */
  public static final Duration DEFAULT_BASE_BACKOFF = Duration.ofMillis(25);

  /** Istio's default retry policy: 2 retries on connect-failure, refused-stream, unavailable, cancelled and 503. */
  public static final RetryPolicy ISTIO_DEFAULT = of(2, Duration.ZERO, RetryOn.ISTIO_DEFAULT);

  /** No retries. */
  public static final RetryPolicy NONE = of(0, Duration.ZERO, RetryOn.parse("retryOn", ""));

  public RetryPolicy {
    if (attempts < 0) {
      throw new IllegalArgumentException("retries.attempts: " + attempts + " (expected: >= 0)");
    }
    Durations.requireNonNegative("retries.perTryTimeout", perTryTimeout);
    requireNonNull(retryOn, "retryOn");
    Durations.requirePositive("retries.baseBackoff", baseBackoff);
    Durations.requirePositive("retries.maxBackoff", maxBackoff);
    if (maxBackoff.compareTo(baseBackoff) < 0) {
      throw new IllegalArgumentException("retries.maxBackoff: " + Durations.format(maxBackoff)
          + " (expected: >= baseBackoff " + Durations.format(baseBackoff) + ")");
    }
  }

  /** A policy with Envoy's default backoff (25 ms, capped at 250 ms). */
  public static RetryPolicy of(int attempts, Duration perTryTimeout, RetryOn retryOn) {
    return new RetryPolicy(attempts, perTryTimeout, retryOn, DEFAULT_BASE_BACKOFF,
        DEFAULT_BASE_BACKOFF.multipliedBy(10));
  }

  /** Whether a per-try timeout is set. */
  public boolean hasPerTryTimeout() {
    return !perTryTimeout.isZero();
  }
}
