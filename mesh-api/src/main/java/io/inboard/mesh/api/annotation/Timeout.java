package io.inboard.mesh.api.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The overall timeout of a call, retries included, as Istio's route {@code timeout}. Without
 * it there is none (gRPC deadlines set by the caller still apply).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface Timeout {
  /** A duration such as {@code 500ms}, {@code 3s} or {@code 1m}. */
  String value();
}
