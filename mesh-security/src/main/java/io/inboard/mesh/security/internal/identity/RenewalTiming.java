package io.inboard.mesh.security.internal.identity;

import java.time.Duration;
import java.time.Instant;

/**
 * When to renew, as Istio's agent decides it ({@code secretcache.go}): at
 * {@code expiry - ratio * lifetime} with the ratio 0.5 ± 0.01, the lifetime counted from when the
 * certificate arrived; after a failure, again with exponential backoff capped at a quarter of
 * the lifetime asked for, between 1 and 30 seconds.
 */
final class RenewalTiming {
  /** The share of the lifetime left when renewing: Istio's {@code SECRET_GRACE_PERIOD_RATIO}. */
  static final double GRACE_RATIO = 0.5;
  /** Istio's {@code SECRET_GRACE_PERIOD_RATIO_JITTER}. */
  static final double GRACE_RATIO_JITTER = 0.01;
  static final Duration FIRST_RETRY = Duration.ofMillis(500);
  static final Duration MIN_RETRY_CAP = Duration.ofSeconds(1);
  static final Duration MAX_RETRY_CAP = Duration.ofSeconds(30);

  private RenewalTiming() {}

  /**
   * How long after {@code received} to renew a certificate expiring at {@code notAfter}.
   *
   * @param random uniform in [0, 1), for the jitter
   */
  static Duration renewAfter(Instant received, Instant notAfter, double random) {
    long lifetime = Math.max(0, Duration.between(received, notAfter).toMillis());
    double ratio = GRACE_RATIO + (2 * random - 1) * GRACE_RATIO_JITTER;
    return Duration.ofMillis(Math.round(lifetime * (1 - ratio)));
  }

  /**
   * How long to wait before retry {@code failures} (from 1), with ±20% jitter.
   *
   * @param random uniform in [0, 1), for the jitter
   */
  static Duration retryAfter(int failures, Duration lifetime, double random) {
    long cap = Math.min(MAX_RETRY_CAP.toMillis(),
        Math.max(MIN_RETRY_CAP.toMillis(), lifetime.toMillis() / 4));
    long base = FIRST_RETRY.toMillis() << Math.min(failures - 1, 20);
    long delay = Math.min(cap, base);
    return Duration.ofMillis(Math.round(delay * (0.8 + 0.4 * random)));
  }
}
