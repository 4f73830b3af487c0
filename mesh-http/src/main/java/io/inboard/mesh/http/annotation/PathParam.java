package io.inboard.mesh.http.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Fills the {@code {name}} placeholder of the method's path with the argument, as {@link
 * String#valueOf} writes it, percent-encoded as one path segment. A {@code null} argument fails
 * the call with {@link NullPointerException}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface PathParam {
  /** The placeholder's name, without braces. */
  String value();
}
