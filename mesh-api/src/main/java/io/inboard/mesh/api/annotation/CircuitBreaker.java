package io.inboard.mesh.api.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A resilience4j circuit breaker for the target service, shared by every client of the service
 * in the process. Defaults are resilience4j's.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface CircuitBreaker {
  /** The failure rate that opens the circuit, in percent (default 50). */
  float failureRateThreshold() default 50f;

  /** The number of calls the failure rate is computed over (default 100). */
  int slidingWindowSize() default 100;

  /** Calls needed before the failure rate counts (default 100). */
  int minimumNumberOfCalls() default 100;

  /** How long the circuit stays open before half-opening (default {@code 60s}). */
  String waitDurationInOpenState() default "60s";

  /** Trial calls allowed while half-open (default 10). */
  int permittedCallsInHalfOpenState() default 10;
}
