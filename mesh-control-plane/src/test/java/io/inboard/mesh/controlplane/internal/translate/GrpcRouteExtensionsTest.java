package io.inboard.mesh.controlplane.internal.translate;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.FilterConfig;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.inboard.mesh.api.internal.MeshXdsNames;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What grpc-xds ignores in a route, carried beside it for gRPC clients (MeshXdsNames). */
class GrpcRouteExtensionsTest {
  static final String FQDN = "reviews.default.svc.cluster.local";
  static final String V1 = "outbound|9080|v1|" + FQDN;
  static final String V3 = "outbound|9080|v3|" + FQDN;

  private static XdsResources translate(String http) {
    return ReviewsTranslation.translate(http);
  }

  private static Route inner(Any perFilter) throws Exception {
    FilterConfig fc = perFilter.unpack(FilterConfig.class);
    assertThat(fc.getIsOptional()).isTrue();
    assertThat(fc.getConfig().getTypeUrl()).isEqualTo(MeshXdsNames.GRPC_ROUTE_TYPE_URL);
    return Route.parseFrom(fc.getConfig().getValue());
  }

  @Test
  void everyOutboundListenerCarriesTheOptionalFilterBeforeTheRouter() throws Exception {
    XdsResources x = translate("- route: [{destination: {host: reviews, subset: v1}}]\n");

    HttpConnectionManager hcm = x.listeners().stream()
        .filter(l -> l.getName().equals("reviews.default.svc.cluster.local:9080")).findFirst()
        .orElseThrow().getApiListener().getApiListener().unpack(HttpConnectionManager.class);
    List<String> names = hcm.getHttpFiltersList().stream().map(f -> f.getName()).toList();
    assertThat(names).containsSubsequence(MeshXdsNames.GRPC_ROUTE_FILTER,
        "envoy.filters.http.router");
    assertThat(hcm.getHttpFilters(names.indexOf(MeshXdsNames.GRPC_ROUTE_FILTER)).getIsOptional())
        .isTrue();
  }

  @Test
  void routeWithoutRetriesTimeoutOrAnythingGrpcIgnoresCarriesNoExtension() {
    Route r = translate("""
        - retries: {attempts: 0}
          route: [{destination: {host: reviews, subset: v1}}]
        """).routes().get(0).getVirtualHosts(0).getRoutes(0);

    assertThat(r.getRoute().hasRetryPolicy()).isFalse();
    assertThat(r.getTypedPerFilterConfigMap()).doesNotContainKey(MeshXdsNames.GRPC_ROUTE_FILTER);
  }

  @Test
  void defaultRetriesAndTimeoutTravelAsTheRouteSoClientsBuildGrpcsMethodConfigOnce()
      throws Exception {
    Route plain = translate("- route: [{destination: {host: reviews, subset: v1}}]\n")
        .routes().get(0).getVirtualHosts(0).getRoutes(0);
    Route timed = translate("""
        - timeout: 2s
          retries: {attempts: 0}
          route: [{destination: {host: reviews, subset: v1}}]
        """).routes().get(0).getVirtualHosts(0).getRoutes(0);

    Route unrouted = ReviewsTranslation.translateWithoutVirtualService()
        .routes().get(0).getVirtualHosts(0).getRoutes(0);

    // Istio's default retry policy, which every route without its own gets
    assertThat(inner(unrouted.getTypedPerFilterConfigOrThrow(MeshXdsNames.GRPC_ROUTE_FILTER))
        .getRoute().getRetryPolicy()).isEqualTo(unrouted.getRoute().getRetryPolicy())
        .isNotEqualTo(io.envoyproxy.envoy.config.route.v3.RetryPolicy.getDefaultInstance());
    assertThat(inner(plain.getTypedPerFilterConfigOrThrow(MeshXdsNames.GRPC_ROUTE_FILTER))
        .getRoute().getRetryPolicy()).isEqualTo(plain.getRoute().getRetryPolicy());
    assertThat(inner(timed.getTypedPerFilterConfigOrThrow(MeshXdsNames.GRPC_ROUTE_FILTER))
        .getRoute().getMaxStreamDuration().getMaxStreamDuration().getSeconds()).isEqualTo(2);
  }

  @Test
  void perTryTimeoutAndHeadersTravelAsTheRouteItself() throws Exception {
    Route r = translate("""
        - retries: {attempts: 2, perTryTimeout: 200ms, retryOn: unavailable}
          headers: {request: {set: {x-a: "1"}}, response: {remove: [x-b]}}
          route: [{destination: {host: reviews, subset: v1}}]
        """).routes().get(0).getVirtualHosts(0).getRoutes(0);

    Route inner = inner(r.getTypedPerFilterConfigOrThrow(MeshXdsNames.GRPC_ROUTE_FILTER));
    assertThat(inner.hasMatch()).isFalse();
    assertThat(inner.getTypedPerFilterConfigMap()).isEmpty();
    assertThat(inner.getRoute().getRetryPolicy().getPerTryTimeout().getNanos())
        .isEqualTo(200_000_000);
    assertThat(inner.getRequestHeadersToAdd(0).getHeader().getKey()).isEqualTo("x-a");
    assertThat(inner.getResponseHeadersToRemoveList()).containsExactly("x-b");
  }

  @Test
  void eachWeightedClusterCarriesTheRouteWithOnlyItselfAsTheClusters() throws Exception {
    Route r = translate("""
        - route:
          - {destination: {host: reviews, subset: v1}, weight: 50, headers: {request: {set: {x-v: "1"}}}}
          - {destination: {host: reviews, subset: v3}, weight: 50}
        """).routes().get(0).getVirtualHosts(0).getRoutes(0);

    var clusters = r.getRoute().getWeightedClusters().getClustersList();
    assertThat(clusters).hasSize(2);
    for (var cw : clusters) {
      Route inner = inner(cw.getTypedPerFilterConfigOrThrow(MeshXdsNames.GRPC_ROUTE_FILTER));
      assertThat(inner.getRoute().getWeightedClusters().getClustersList())
          .extracting(c -> c.getName()).containsExactly(cw.getName());
    }
    Route v1 = inner(clusters.stream().filter(c -> c.getName().equals(V1)).findFirst()
        .orElseThrow().getTypedPerFilterConfigOrThrow(MeshXdsNames.GRPC_ROUTE_FILTER));
    assertThat(v1.getRoute().getWeightedClusters().getClusters(0).getRequestHeadersToAdd(0)
        .getHeader().getValue()).isEqualTo("1");
  }

  @Test
  void mirrorClusterGetsAListenerRoutingEveryCallToIt() throws Exception {
    XdsResources x = translate("""
        - route: [{destination: {host: reviews, subset: v1}}]
          mirror: {host: reviews, subset: v3}
          mirrorPercentage: {value: 50}
        """);

    Route r = x.routes().get(0).getVirtualHosts(0).getRoutes(0);
    Route inner = inner(r.getTypedPerFilterConfigOrThrow(MeshXdsNames.GRPC_ROUTE_FILTER));
    assertThat(inner.getRoute().getRequestMirrorPolicies(0).getCluster()).isEqualTo(V3);
    Listener mirror = x.listeners().stream()
        .filter(l -> l.getName().equals(MeshXdsNames.mirrorListener(V3))).findFirst()
        .orElseThrow();
    HttpConnectionManager hcm = mirror.getApiListener().getApiListener()
        .unpack(HttpConnectionManager.class);
    var route = hcm.getRouteConfig().getVirtualHosts(0).getRoutes(0);
    assertThat(hcm.getRouteConfig().getVirtualHosts(0).getDomainsList()).containsExactly("*");
    assertThat(route.getRoute().getCluster()).isEqualTo(V3);
    assertThat(MeshXdsNames.mirrorListener(V3)).doesNotContain("|");
  }
}
