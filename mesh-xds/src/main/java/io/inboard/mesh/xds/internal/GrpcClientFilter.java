package io.inboard.mesh.xds.internal;

import com.google.protobuf.Any;
import io.grpc.ClientInterceptor;
import io.grpc.xds.InboardGrpcBridge;
import io.grpc.xds.InboardRouteMethodConfig;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A client-side xDS HTTP filter for grpc-xds (gRFC A39), in Inboard's own terms: {@code
 * io.grpc.xds.InboardGrpcBridge} adapts it to grpc-xds's package-private filter API, so that
 * nothing else depends on grpc internals.
 *
 * <p>Configs arrive as the {@link Any} grpc-xds finds once it has unwrapped an {@code
 * envoy.config.route.v3.FilterConfig}: its type URL is {@link #typeUrl()} and its value the
 * filter's own bytes. A {@code TypedStruct} is refused.
 *
 * @param <C> the parsed, immutable config (a record, so that equal configs compare equal)
 */
public interface GrpcClientFilter<C> {

  /** The type URL this filter is registered under. */
  String typeUrl();

  /**
   * Parses {@code HttpFilter.typed_config} (the listener-wide config).
   *
   * @throws IllegalArgumentException with a message naming the field, value and expectation;
   *     grpc-xds NACKs the Listener with it
   */
  C parse(Any config);

  /**
   * Parses {@code typed_per_filter_config[<filter name>]} of a virtual host, route or weighted
   * cluster.
   *
   * @throws IllegalArgumentException with a message naming the field, value and expectation;
   *     grpc-xds NACKs the RouteConfiguration with it
   */
  C parseOverride(Any config);

  /**
   * The interceptor for one route (or one weighted cluster of it), built on every LDS/RDS change
   * and run on every call the route matches; keep it cheap to build and precomputed.
   *
   * @param override the most specific per-route config (weighted cluster, route, virtual host),
   *     or null when there is none
   * @param methodConfig the route's timeout and retry policy, moved out of the route grpc-xds
   *     sees when the route carries this filter's config ({@link
   *     InboardGrpcBridge#resolverClient}); the interceptor must put it on every call it passes
   *     on ({@link InboardRouteMethodConfig#applyTo}) unless it runs those policies itself. Null
   *     when grpc-xds applies them as usual.
   * @param scheduler grpc's shared timer; tasks on it must be tiny and never block
   * @return null when the route needs no interception
   */
  ClientInterceptor interceptor(C config, C override, InboardRouteMethodConfig methodConfig,
      ScheduledExecutorService scheduler);
}
