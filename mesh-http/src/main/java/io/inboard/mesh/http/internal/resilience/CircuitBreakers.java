package io.inboard.mesh.http.internal.resilience;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.inboard.mesh.api.policy.CircuitBreakerPolicy;

/** Translates the policy model's circuit breaker into resilience4j's configuration. */
public final class CircuitBreakers {

  private CircuitBreakers() {}

  /**
   * A count-based breaker. It half-opens on the first call after the open wait (no timer
   * thread), which is resilience4j's default.
   */
  public static CircuitBreakerConfig config(CircuitBreakerPolicy policy) {
    return CircuitBreakerConfig.custom()
        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
        .failureRateThreshold(policy.failureRateThreshold())
        .slidingWindowSize(policy.slidingWindowSize())
        .minimumNumberOfCalls(policy.minimumNumberOfCalls())
        .waitDurationInOpenState(policy.waitDurationInOpenState())
        .permittedNumberOfCallsInHalfOpenState(policy.permittedCallsInHalfOpenState())
        .build();
  }

  /** The breaker's name for a service: {@code name.namespace}, shared by all its ports. */
  public static String name(io.inboard.mesh.api.ServiceName service) {
    return service.withoutPort().toString();
  }
}
