package io.inboard.mesh.api.annotation;

import io.inboard.mesh.api.policy.LoadBalancerPolicy;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * How endpoints are picked, as a DestinationRule's {@code trafficPolicy.loadBalancer}. Setting
 * one of the {@code hash*} attributes selects consistent hashing instead of {@link #value()}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface LoadBalancer {
  /** The simple algorithm (default round robin). */
  LoadBalancerPolicy.Simple.Kind value() default LoadBalancerPolicy.Simple.Kind.ROUND_ROBIN;

  /** Hash on this request header (consistent hashing). */
  String hashHeader() default "";

  /** Hash on this cookie (consistent hashing). */
  String hashCookie() default "";

  /** Hash on this query parameter (consistent hashing). */
  String hashQueryParameter() default "";

  /** The ring's minimum size for consistent hashing (default 1024). */
  int minimumRingSize() default 1024;
}
