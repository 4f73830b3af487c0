package io.inboard.mesh.grpc.internal.route;

import com.google.protobuf.Any;
import io.grpc.ClientInterceptor;
import io.grpc.xds.InboardGrpcBridge;
import io.grpc.xds.InboardRouteMethodConfig;
import io.inboard.mesh.api.internal.MeshXdsNames;
import io.inboard.mesh.grpc.internal.pool.PoolAdmission;
import io.inboard.mesh.xds.internal.GrpcClientFilter;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The HTTP filter {@link MeshXdsNames#GRPC_ROUTE_FILTER} for grpc-xds: its listener-wide config
 * is empty, and each route's (or weighted cluster's) config is a copy of the Envoy route, parsed
 * by {@link GrpcRouteParser}. Every route's interceptor puts calls through their cluster's
 * connection-pool admission ({@link PoolAdmission}) around the route's own ({@link
 * GrpcRouteInterceptor}), which also hands grpc the route's timeout and retry policy as a
 * per-method config built once per route ({@link InboardRouteMethodConfig}), where grpc-xds no
 * longer builds one per call. Register it with {@link #register()} before the first {@code xds:///}
 * channel.
 */
public final class GrpcRouteFilter implements GrpcClientFilter<GrpcRoutePolicy> {

  private static final GrpcRouteFilter INSTANCE = new GrpcRouteFilter();

  private GrpcRouteFilter() {}

  /** Registers the filter with grpc-xds, once per JVM (later calls do nothing). */
  public static void register() {
    InboardGrpcBridge.registerClientFilter(INSTANCE);
  }

  @Override
  public String typeUrl() {
    return MeshXdsNames.GRPC_ROUTE_TYPE_URL;
  }

  @Override
  public GrpcRoutePolicy parse(Any config) {
    return GrpcRouteParser.parse(config);
  }

  @Override
  public GrpcRoutePolicy parseOverride(Any config) {
    return GrpcRouteParser.parse(config);
  }

  @Override
  public ClientInterceptor interceptor(GrpcRoutePolicy config, GrpcRoutePolicy override,
      InboardRouteMethodConfig methodConfig, ScheduledExecutorService scheduler) {
    GrpcRoutePolicy policy = override != null ? override : config;
    InboardRouteMethodConfig grpcPolicies =
        methodConfig == null || methodConfig.isEmpty() ? null : methodConfig;
    // every route: its cluster may have connection-pool limits, which CDS, not the route, sets
    return new PoolAdmission(policy.isEmpty() && grpcPolicies == null ? null
        : new GrpcRouteInterceptor(policy, grpcPolicies, scheduler));
  }
}
