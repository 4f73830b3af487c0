package io.inboard.mesh.api.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Retries failed calls, as Istio's route {@code retries}. {@code attempts} counts retries, so
 * a call is sent at most {@code attempts + 1} times.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface Retry {
  /** The number of retries (default 2, as in Istio). */
  int attempts() default 2;

  /** The timeout of each try, or {@code ""} for none (default none). */
  String perTryTimeout() default "";

  /**
   * Comma-separated conditions in Envoy's vocabulary: {@code 5xx}, {@code gateway-error},
   * {@code reset}, {@code connect-failure}, {@code refused-stream},
   * {@code retriable-status-codes}, {@code retriable-4xx}, gRPC codes ({@code unavailable},
   * {@code cancelled}, {@code deadline-exceeded}, {@code internal},
   * {@code resource-exhausted}) and bare HTTP status codes. Default: Istio's
   * {@code connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes,503}.
   */
  String retryOn() default "connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes,503";

  /** The first backoff interval (default {@code 25ms}); it doubles per retry, with jitter. */
  String backoff() default "25ms";

  /** The largest backoff interval (default {@code 250ms}). */
  String maxBackoff() default "250ms";
}
