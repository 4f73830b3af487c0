package io.inboard.mesh.controlplane.internal.translate;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.inboard.mesh.controlplane.ServiceEndpoint;
import io.inboard.mesh.controlplane.internal.model.MeshConfig;
import io.inboard.mesh.controlplane.internal.parse.ResourceParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class XdsTranslatorTest {
  static final String FQDN = "reviews.default.svc.cluster.local";

  private final ResourceParser parser = new ResourceParser("default", "cluster.local");

  private XdsResources translate(String yaml) {
    ResourceParser.Result parsed = parser.parse("t", yaml);
    assertThat(parsed.hasErrors()).as(parsed.diagnostics().toString()).isFalse();
    return new XdsTranslator().translate(new MeshConfig(parsed.resources(), List.of(
        new ServiceEndpoint(FQDN, 9080, "127.0.0.2", Map.of("version", "v1")),
        new ServiceEndpoint(FQDN, 9080, "127.0.0.3", Map.of("version", "v2")))));
  }

  @Test
  void namesListenerRouteAndClustersAfterHostPortAndSubset() throws Exception {
    XdsResources x = translate(DR);

    assertThat(x.listeners()).extracting(l -> l.getName())
        .containsExactly(FQDN + ":9080", "virtualInbound",
            io.inboard.mesh.api.internal.MeshXdsNames.GATEWAY_LISTENERS);
    assertThat(x.routes()).extracting(r -> r.getName()).containsExactly(FQDN + ":9080");
    assertThat(x.clusters()).extracting(Cluster::getName).containsExactly(
        "outbound|9080||" + FQDN, "outbound|9080|v1|" + FQDN, "outbound|9080|v2|" + FQDN);
    HttpConnectionManager hcm = x.listeners().get(0).getApiListener().getApiListener()
        .unpack(HttpConnectionManager.class);
    assertThat(hcm.getRds().getRouteConfigName()).isEqualTo(FQDN + ":9080");
    assertThat(hcm.getHttpFiltersList()).extracting(HttpFilter::getName)
        .endsWith("envoy.filters.http.router");
  }

  @Test
  void subsetClustersHoldOnlyMatchingEndpointsInAWeightedLocality() {
    XdsResources x = translate(DR);

    ClusterLoadAssignment v2 = x.assignments().stream()
        .filter(a -> a.getClusterName().equals("outbound|9080|v2|" + FQDN)).findFirst().orElseThrow();
    assertThat(v2.getEndpoints(0).getLoadBalancingWeight().getValue()).isEqualTo(1);
    assertThat(v2.getEndpoints(0).getLbEndpointsList())
        .extracting(e -> e.getEndpoint().getAddress().getSocketAddress().getAddress())
        .containsExactly("127.0.0.3");
  }

  @Test
  void subsetPolicyOverridesHostPolicyInClusters() {
    XdsResources x = translate(DR);

    Cluster all = x.clusters().get(0);
    Cluster v1 = x.clusters().get(1);
    assertThat(all.getLbPolicy()).isEqualTo(Cluster.LbPolicy.LEAST_REQUEST);
    assertThat(all.getCircuitBreakers().getThresholds(0).getMaxRequests().getValue()).isEqualTo(10);
    assertThat(v1.getLbPolicy()).isEqualTo(Cluster.LbPolicy.RING_HASH);
    assertThat(v1.getCircuitBreakers().getThresholds(0).getMaxRequests().getValue()).isEqualTo(10);
    assertThat(v1.getOutlierDetection().getConsecutive5Xx().getValue()).isEqualTo(3);
  }

  @Test
  void translatesMatchesTimeoutRetriesAndFaultsPerAlternative() throws Exception {
    XdsResources x = translate(DR + "---\n" + """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: reviews}
        spec:
          hosts: [reviews]
          http:
          - match:
            - uri: {prefix: /grpc.testing}
            - headers: {end-user: {regex: "j.*"}}
            - queryParams: {x: {exact: y}}
            timeout: 2s
            retries: {attempts: 4, retryOn: "unavailable,deadline-exceeded"}
            fault: {abort: {grpcStatus: UNAVAILABLE, percentage: {value: 12.5}}}
            route: [{destination: {host: reviews, subset: v1}}]
        """);

    List<Route> routes = new ArrayList<>(x.routes().get(0).getVirtualHosts(0).getRoutesList());
    // the queryParams alternative is served: grpc-xds skips it, HTTP clients match on it
    assertThat(routes).hasSize(3);
    assertThat(routes.get(2).getMatch().getQueryParameters(0).getName()).isEqualTo("x");
    assertThat(routes.get(2).getMatch().getQueryParameters(0).getStringMatch().getExact())
        .isEqualTo("y");
    assertThat(routes.get(0).getMatch().getPrefix()).isEqualTo("/grpc.testing");
    assertThat(routes.get(1).getMatch().getHeaders(0).getStringMatch().getSafeRegex().getRegex())
        .isEqualTo("j.*");
    var action = routes.get(0).getRoute();
    assertThat(action.getCluster()).isEqualTo("outbound|9080|v1|" + FQDN);
    assertThat(action.getMaxStreamDuration().getMaxStreamDuration().getSeconds()).isEqualTo(2);
    assertThat(action.getRetryPolicy().getRetryOn()).isEqualTo("deadline-exceeded,unavailable");
    assertThat(action.getRetryPolicy().getNumRetries().getValue()).isEqualTo(4);
    HTTPFault fault = routes.get(0).getTypedPerFilterConfigOrThrow(RouteTranslator.FAULT_FILTER)
        .unpack(HTTPFault.class);
    assertThat(fault.getAbort().getGrpcStatus()).isEqualTo(14);
    assertThat(fault.getAbort().getPercentage().getNumerator()).isEqualTo(125_000);
  }

  @Test
  void routesWholeServiceWhenNoVirtualServiceCoversIt() {
    XdsResources x = translate(DR);

    Route only = x.routes().get(0).getVirtualHosts(0).getRoutes(0);
    assertThat(only.getMatch().getPrefix()).isEmpty();
    assertThat(only.getRoute().getCluster()).isEqualTo("outbound|9080||" + FQDN);
  }

  static final String DR = """
      apiVersion: networking.istio.io/v1
      kind: DestinationRule
      metadata: {name: reviews}
      spec:
        host: reviews
        trafficPolicy:
          loadBalancer: {simple: LEAST_REQUEST}
          connectionPool: {http: {http2MaxRequests: 10}}
        subsets:
        - name: v1
          labels: {version: v1}
          trafficPolicy:
            loadBalancer: {consistentHash: {httpHeaderName: end-user}}
            outlierDetection: {consecutive5xxErrors: 3}
        - name: v2
          labels: {version: v2}
      """;
}
