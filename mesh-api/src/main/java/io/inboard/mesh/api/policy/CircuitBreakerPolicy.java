package io.inboard.mesh.api.policy;

import java.time.Duration;

/**
 * A resilience4j circuit breaker per destination service. It opens when the failure rate over
 * the last {@code slidingWindowSize} calls reaches {@code failureRateThreshold}; while open,
 * calls fail at once with the 503-equivalent error; after {@code waitDurationInOpenState} it
 * half-opens and lets {@code permittedCallsInHalfOpenState} trial calls decide.
 *
 * <p>This complements Istio's connection-pool limits (Envoy's "circuit breakers"), which shed
 * load by concurrency rather than by failure rate.
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

  /** resilience4j's defaults. */
  public static final CircuitBreakerPolicy DEFAULT =
      new CircuitBreakerPolicy(50f, 100, 100, Duration.ofSeconds(60), 10);

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
}
