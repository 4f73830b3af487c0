package io.inboard.mesh.http.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Adds the argument as a query parameter, percent-encoded. A {@code null} argument adds nothing;
 * an {@link Iterable} adds the parameter once per element.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface QueryParam {
  /** The query parameter's name. */
  String value();
}
