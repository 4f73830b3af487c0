package io.inboard.mesh.api.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Ejects endpoints that keep failing, as a DestinationRule's {@code outlierDetection}. Defaults
 * are Istio's.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface OutlierDetection {
  /** Consecutive 5xx (or connect failures) before ejection; 0 disables (default 5). */
  int consecutive5xxErrors() default 5;

  /** Consecutive 502/503/504 before ejection; 0 disables (default 0). */
  int consecutiveGatewayErrors() default 0;

  /** How often ejections are re-evaluated (default {@code 10s}). */
  String interval() default "10s";

  /** The minimum ejection time; it grows with each repeat ejection (default {@code 30s}). */
  String baseEjectionTime() default "30s";

  /** The most endpoints ejected at once, in percent; at least one always may be (default 10). */
  int maxEjectionPercent() default 10;

  /**
   * Below this share of endpoints left in, in percent 0..100, calls go to every endpoint,
   * ejected or not (Envoy's panic mode); 0 never (default 0).
   */
  int minHealthPercent() default 0;
}
