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
 * <p>Build one with {@link #builder()}, which starts from Istio's default retry policy:
 *
 * <pre>{@code
 * RetryPolicy retry = RetryPolicy.builder()
 *     .attempts(3).perTryTimeout(Duration.ofMillis(500)).retryOn(RetryOn.parse("5xx,reset"))
 *     .build();
 * }</pre>
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
  public static final RetryPolicy NONE = of(0, Duration.ZERO, RetryOn.parse(""));

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

  /** Starts from Istio's default retry policy, {@link #ISTIO_DEFAULT} (see each setter). */
  public static Builder builder() {
    return new Builder();
  }

  /** Whether a per-try timeout is set. */
  public boolean hasPerTryTimeout() {
    return !perTryTimeout.isZero();
  }

  /** Builds a {@link RetryPolicy}; values are checked by {@link #build()}. */
  public static final class Builder {
    private int attempts = 2;
    private Duration perTryTimeout = Duration.ZERO;
    private RetryOn retryOn = RetryOn.ISTIO_DEFAULT;
    private Duration baseBackoff = DEFAULT_BASE_BACKOFF;
    private Duration maxBackoff;

    private Builder() {}

    /** The number of retries, >= 0; {@code 0} disables retries (default 2, as in Istio). */
    public Builder attempts(int attempts) {
      this.attempts = attempts;
      return this;
    }

    /** The timeout of each try; {@link Duration#ZERO} for none (default: none). */
    public Builder perTryTimeout(Duration perTryTimeout) {
      this.perTryTimeout = requireNonNull(perTryTimeout, "perTryTimeout");
      return this;
    }

    /**
     * The conditions that trigger a retry (default {@link RetryOn#ISTIO_DEFAULT}:
     * connect-failure, refused-stream, unavailable, cancelled and 503).
     */
    public Builder retryOn(RetryOn retryOn) {
      this.retryOn = requireNonNull(retryOn, "retryOn");
      return this;
    }

    /** The first backoff interval (default 25 ms, Envoy's). */
    public Builder baseBackoff(Duration baseBackoff) {
      this.baseBackoff = requireNonNull(baseBackoff, "baseBackoff");
      return this;
    }

    /** The largest backoff interval, >= the base (default ten times the base backoff). */
    public Builder maxBackoff(Duration maxBackoff) {
      this.maxBackoff = requireNonNull(maxBackoff, "maxBackoff");
      return this;
    }

    /**
     * The policy.
     *
     * @throws IllegalArgumentException naming the field, its value and what was expected
     */
    public RetryPolicy build() {
      return new RetryPolicy(attempts, perTryTimeout, retryOn, baseBackoff,
          maxBackoff != null ? maxBackoff : baseBackoff.multipliedBy(10));
    }
  }
}
