package io.inboard.mesh.api.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Load-shedding limits, as a DestinationRule's {@code connectionPool}. Over a limit a call fails
 * at once with the 503-equivalent error. Defaults: unlimited, and a 10 s connect timeout.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ConnectionPool {
  /** The most connections to the service. */
  int maxConnections() default Integer.MAX_VALUE;

  /** The most requests waiting for a connection. */
  int maxPendingRequests() default Integer.MAX_VALUE;

  /** The most requests in flight. */
  int maxRequests() default Integer.MAX_VALUE;

  /** The most retries in flight. */
  int maxRetries() default Integer.MAX_VALUE;

  /** The TCP connect timeout (default {@code 10s}). */
  String connectTimeout() default "10s";

  /**
   * The most calls one connection carries before a fresh one replaces it (default 0:
   * unlimited). Honoured by gRPC clients (and HTTP clients on the Netty transport).
   */
  int maxRequestsPerConnection() default 0;

  /**
   * How long a connection may carry no call before it is closed, such as {@code 5m}; {@code 0s}
   * for never (default {@code ""}: the client's own, see {@link
   * io.inboard.mesh.api.policy.ConnectionPoolSettings#idleTimeout()}).
   */
  String idleTimeout() default "";
}
