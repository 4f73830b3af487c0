package io.inboard.mesh.controlplane.internal.translate;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import io.envoyproxy.envoy.config.listener.v3.ApiListener;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.FilterConfig;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.inboard.mesh.api.internal.MeshXdsNames;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What gRPC clients need beside a route to honour what grpc-xds ignores in it: per-try timeouts,
 * header changes and mirrors (see "gRPC route extensions" in {@link MeshXdsNames}). A route with
 * a timeout or retry policy gets the extension config too, so that Inboard's clients build the
 * per-method config for those once per route rather than grpc-xds once per call. A route with
 * none of these gets none.
 */
final class GrpcRouteExtensions {
  private static final Any EMPTY_CONFIG = Any.newBuilder()
      .setTypeUrl(MeshXdsNames.GRPC_ROUTE_TYPE_URL).setValue(ByteString.EMPTY).build();

  private GrpcRouteExtensions() {}

  /** The HTTP filter of every outbound HttpConnectionManager; optional for other clients. */
  static HttpFilter filter() {
    return HttpFilter.newBuilder().setName(MeshXdsNames.GRPC_ROUTE_FILTER).setIsOptional(true)
        .setTypedConfig(EMPTY_CONFIG).build();
  }

  /** {@code r} with the extension config on it (and its weighted clusters), when it needs it. */
  static Route apply(Route r) {
    if (!needs(r)) {
      return r;
    }
    Route inner = r.toBuilder().clearMatch().clearTypedPerFilterConfig().build();
    Route.Builder out = r.toBuilder().putTypedPerFilterConfig(MeshXdsNames.GRPC_ROUTE_FILTER,
        config(inner));
    if (r.getRoute().hasWeightedClusters()) {
      WeightedCluster.Builder wc = out.getRouteBuilder().getWeightedClustersBuilder();
      for (int i = 0; i < wc.getClustersCount(); i++) {
        WeightedCluster.ClusterWeight cw = wc.getClusters(i);
        Route picked = inner.toBuilder().setRoute(inner.getRoute().toBuilder()
            .setWeightedClusters(WeightedCluster.newBuilder().addClusters(cw))).build();
        wc.setClusters(i, cw.toBuilder().putTypedPerFilterConfig(MeshXdsNames.GRPC_ROUTE_FILTER,
            config(picked)));
      }
    }
    return out.build();
  }

  private static boolean needs(Route r) {
    RouteAction a = r.getRoute();
    boolean headers = r.getRequestHeadersToAddCount() > 0
        || r.getRequestHeadersToRemoveCount() > 0 || r.getResponseHeadersToAddCount() > 0
        || r.getResponseHeadersToRemoveCount() > 0
        || a.getWeightedClusters().getClustersList().stream().anyMatch(cw ->
            cw.getRequestHeadersToAddCount() > 0 || cw.getRequestHeadersToRemoveCount() > 0
                || cw.getResponseHeadersToAddCount() > 0
                || cw.getResponseHeadersToRemoveCount() > 0);
    boolean grpcPolicies = a.hasRetryPolicy() || a.hasTimeout() || a.hasMaxStreamDuration();
    return grpcPolicies || headers || a.getRequestMirrorPoliciesCount() > 0;
  }

  /** Optional, so that a gRPC client without Inboard's filter takes the route as it is. */
  private static Any config(Route inner) {
    return Any.pack(FilterConfig.newBuilder().setIsOptional(true).setConfig(Any.newBuilder()
        .setTypeUrl(MeshXdsNames.GRPC_ROUTE_TYPE_URL).setValue(inner.toByteString())).build());
  }

  /** The clusters {@code routes} mirror to. */
  static Set<String> mirrorClusters(Collection<Route> routes) {
    Set<String> out = new TreeSet<>();
    for (Route r : routes) {
      r.getRoute().getRequestMirrorPoliciesList().forEach(m -> out.add(m.getCluster()));
    }
    return out;
  }

  /**
   * The Listener gRPC clients send mirrored calls of {@code cluster} through: its routes inline,
   * every call to the cluster (mirrors go to a cluster, not through its service's routes).
   */
  static Listener mirrorListener(String cluster) {
    String name = MeshXdsNames.mirrorListener(cluster);
    RouteConfiguration rc = RouteConfiguration.newBuilder().setName(name)
        .addVirtualHosts(VirtualHost.newBuilder().setName(name).addDomains("*")
            .addRoutes(Route.newBuilder()
                .setMatch(io.envoyproxy.envoy.config.route.v3.RouteMatch.newBuilder()
                    .setPrefix(""))
                .setRoute(RouteAction.newBuilder().setCluster(cluster))))
        .build();
    HttpConnectionManager hcm = HttpConnectionManager.newBuilder().setRouteConfig(rc)
        .addHttpFilters(HttpFilter.newBuilder().setName("envoy.filters.http.router")
            .setTypedConfig(Any.pack(Router.getDefaultInstance())))
        .build();
    return Listener.newBuilder().setName(name)
        .setApiListener(ApiListener.newBuilder().setApiListener(Any.pack(hcm))).build();
  }

  static List<Listener> mirrorListeners(Collection<Route> routes) {
    return mirrorClusters(routes).stream().map(GrpcRouteExtensions::mirrorListener).toList();
  }
}
