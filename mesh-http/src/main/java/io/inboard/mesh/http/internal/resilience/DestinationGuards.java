package io.inboard.mesh.http.internal.resilience;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.inboard.mesh.api.policy.ConnectionPoolSettings;

/**
 * What may stop a call to one destination before or between its tries: the connection-pool
 * limits ({@link AdmissionControl}), the retry budget ({@link RetryBudget},
 * {@code maxRetries}) and the circuit breaker. One set per destination, shared by its calls.
 *
 * @param breaker the destination's circuit breaker, or {@code null} when its policy has none
 */
public record DestinationGuards(AdmissionControl admission, RetryBudget retryBudget,
    CircuitBreaker breaker) {

  /** Guards for {@code pool}'s limits and {@code breaker} ({@code null}: no breaker). */
  public static DestinationGuards of(ConnectionPoolSettings pool, CircuitBreaker breaker) {
    return new DestinationGuards(AdmissionControl.of(pool), new RetryBudget(pool.maxRetries()),
        breaker);
  }
}
