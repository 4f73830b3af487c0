package io.inboard.mesh.http.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Sends the argument as a request header, as {@link String#valueOf} writes it. A {@code null}
 * argument sends nothing. Headers the JDK client manages ({@code Host}, {@code Connection},
 * {@code Content-Length}, {@code Expect}, {@code Upgrade}) are rejected when the client is
 * created.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface Header {
  /** The header's name. */
  String value();
}
