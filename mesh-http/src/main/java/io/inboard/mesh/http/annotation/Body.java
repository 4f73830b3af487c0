package io.inboard.mesh.http.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Sends the argument as the request body: a {@code String} as UTF-8 with
 * {@code Content-Type: text/plain; charset=utf-8}, a {@code byte[]} as is with
 * {@code application/octet-stream}, unless a {@link Header} parameter sets
 * {@code Content-Type}. At most one per method, and only on {@link Post} and {@link Put}.
 * A {@code null} argument sends an empty body.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface Body {}
