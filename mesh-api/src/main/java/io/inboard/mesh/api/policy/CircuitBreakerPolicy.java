package io.inboard.mesh.api.policy;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * A resilience4j circuit breaker per destination service. It opens when the failure rate over
 * the last {@code slidingWindowSize} calls reaches {@code failureRateThreshold}; while open,
 * calls fail at once with the 503-equivalent error; after {@code waitDurationInOpenState} it
 * half-opens and lets {@code permittedCallsInHalfOpenState} trial calls decide.
 *
 * <p>This complements Istio's connection-pool limits (Envoy's "circuit breakers"), which shed
 * load by concurrency rather than by failure rate. Build one with {@link #builder()}, which
 * starts from resilience4j's defaults.
 *
 * @param failureRateThreshold the failure rate that opens the circuit, in percent (default 50)
 * @param slidingWindowSize the number of calls the rate is computed over (default 100)
 * @param minimumNumberOfCalls calls needed before the rate counts (default 100)
 * @param waitDurationInOpenState how long the circuit stays open (default 60 s)
 * @param permittedCallsInHalfOpenState trial calls while half-open (default 10)
 */
public record CircuitBreakerPolicy(
    float failureRateThreshold, int slidingWindowSize, int minimumNumberOfCalls,
    Duration waitDurationInOpenState, int permittedCallsInHalfOpenState) {

  /** resilience4j's defaults: what {@link #builder()} starts from. */
  public static final CircuitBreakerPolicy DEFAULT = builder().build();

  public CircuitBreakerPolicy {
    if (!(failureRateThreshold > 0 && failureRateThreshold <= 100)) {
      throw new IllegalArgumentException("circuitBreaker.failureRateThreshold: "
          + failureRateThreshold + " (expected: > 0 and <= 100)");
    }
    if (slidingWindowSize < 1) {
      throw new IllegalArgumentException(
          "circuitBreaker.slidingWindowSize: " + slidingWindowSize + " (expected: >= 1)");
    }
    if (minimumNumberOfCalls < 1) {
      throw new IllegalArgumentException(
          "circuitBreaker.minimumNumberOfCalls: " + minimumNumberOfCalls + " (expected: >= 1)");
    }
    Durations.requirePositive("circuitBreaker.waitDurationInOpenState", waitDurationInOpenState);
    if (permittedCallsInHalfOpenState < 1) {
      throw new IllegalArgumentException("circuitBreaker.permittedCallsInHalfOpenState: "
          + permittedCallsInHalfOpenState + " (expected: >= 1)");
    }
  }

  /** Starts from resilience4j's defaults (see each setter). */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link CircuitBreakerPolicy}; values are checked by {@link #build()}. */
  public static final class Builder {
    private float failureRateThreshold = 50f;
    private int slidingWindowSize = 100;
    private int minimumNumberOfCalls = 100;
    private Duration waitDurationInOpenState = Duration.ofSeconds(60);
    private int permittedCallsInHalfOpenState = 10;

    private Builder() {}

    /** The failure rate that opens the circuit, in percent, > 0 and <= 100 (default 50). */
    public Builder failureRateThreshold(float percent) {
      this.failureRateThreshold = percent;
      return this;
    }

    /** The number of calls the failure rate is computed over (default 100). */
    public Builder slidingWindowSize(int calls) {
      this.slidingWindowSize = calls;
      return this;
    }

    /** Calls needed before the failure rate counts (default 100). */
    public Builder minimumNumberOfCalls(int calls) {
      this.minimumNumberOfCalls = calls;
      return this;
    }

    /** How long the circuit stays open before half-opening (default 60 s). */
    public Builder waitDurationInOpenState(Duration wait) {
      this.waitDurationInOpenState = requireNonNull(wait, "waitDurationInOpenState");
      return this;
    }

    /** Trial calls let through while half-open (default 10). */
    public Builder permittedCallsInHalfOpenState(int calls) {
      this.permittedCallsInHalfOpenState = calls;
      return this;
    }

    /**
     * The policy.
     *
     * @throws IllegalArgumentException naming the field, its value and what was expected
     */
    public CircuitBreakerPolicy build() {
      return new CircuitBreakerPolicy(failureRateThreshold, slidingWindowSize,
          minimumNumberOfCalls, waitDurationInOpenState, permittedCallsInHalfOpenState);
    }
  }
}
