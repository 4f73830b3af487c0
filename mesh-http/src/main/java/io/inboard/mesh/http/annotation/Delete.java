package io.inboard.mesh.http.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Maps a client-interface method to an HTTP DELETE request. The path may hold {@code {name}}
 * placeholders, each filled from a parameter annotated {@link PathParam} with that name.
 *
 * <pre>{@code
 * @Delete("/reviews/{id}") void delete(@PathParam("id") int id);
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Delete {
  /** The path, starting with {@code /}, for example {@code /reviews/{id}}. */
  String value();
}
