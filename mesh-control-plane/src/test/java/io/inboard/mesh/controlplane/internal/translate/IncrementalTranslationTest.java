package io.inboard.mesh.controlplane.internal.translate;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.inboard.mesh.api.internal.MeshXdsNames;
import io.inboard.mesh.controlplane.ServiceEndpoint;
import io.inboard.mesh.controlplane.ServicePort;
import io.inboard.mesh.controlplane.internal.model.MeshConfig;
import io.inboard.mesh.controlplane.internal.model.ParsedResource;
import io.inboard.mesh.controlplane.internal.parse.ResourceParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A translator keeps the previous translation's resources of each service whose inputs did not
 * change (the same instances), and rebuilds exactly those that did, including routes that read
 * another service's clusters. Every translation is also checked against a fresh translator's.
 */
class IncrementalTranslationTest {
  private static final String A = "a.default.svc.cluster.local";
  private static final String B = "b.default.svc.cluster.local";
  private static final String C = "c.default.svc.cluster.local";
  private static final String A_V1 = "outbound|80|v1|" + A;
  private static final String A_V2 = "outbound|80|v2|" + A;
  private static final String A_ALL = "outbound|80||" + A;

  /** A's subsets, and B's route split between them: B's route reads A's clusters. */
  private static final String SUBSETS_AND_SPLIT = """
      apiVersion: networking.istio.io/v1
      kind: DestinationRule
      metadata: {name: a}
      spec:
        host: a
        subsets:
        - {name: v1, labels: {version: v1}}
        - {name: v2, labels: {version: v2}}
      ---
      """ + virtualServiceOfB("""
        - route:
          - {destination: {host: a, subset: v1}, weight: 80}
          - {destination: {host: a, subset: v2}, weight: 20}
      """);

  private final ResourceParser parser = new ResourceParser("default", "cluster.local");
  private final XdsTranslator translator = new XdsTranslator();

  @Test
  void endpointChange_rebuildsOnlyThatServicesAssignmentsAndKeepsEveryOtherInstance() {
    XdsResources before = translate(SUBSETS_AND_SPLIT, endpoints());
    List<ServiceEndpoint> more = new ArrayList<>(endpoints());
    more.add(new ServiceEndpoint(C, 80, "127.0.0.9", Map.of("version", "v1")));

    XdsResources after = translate(SUBSETS_AND_SPLIT, more);

    assertThat(assignment(after, "outbound|80||" + C).getEndpoints(0).getLbEndpointsCount())
        .isEqualTo(3);
    assertThat(assignment(after, "outbound|80||" + C))
        .isNotSameAs(assignment(before, "outbound|80||" + C));
    assertSameExcept(before.assignments(), after.assignments(),
        ClusterLoadAssignment::getClusterName, "outbound|80||" + C);
    // C's clusters read its endpoints' service accounts and labels: rebuilt, equal here
    assertSameExcept(before.clusters(), after.clusters(), Cluster::getName,
        "outbound|80||" + C);
    assertSameExcept(before.routes(), after.routes(), RouteConfiguration::getName);
    assertSameExcept(before.listeners(), after.listeners(), Listener::getName,
        MeshXdsNames.GATEWAY_LISTENERS);
  }

  @Test
  void virtualServiceChange_rebuildsOnlyItsHostsRoutes() {
    XdsResources before = translate(SUBSETS_AND_SPLIT, endpoints());

    XdsResources after = translate(SUBSETS_AND_SPLIT.replace("weight: 80", "weight: 70")
        .replace("weight: 20", "weight: 30"), endpoints());

    assertThat(weights(route(after, B))).containsEntry(A_V1, 70).containsEntry(A_V2, 30);
    assertSameExcept(before.routes(), after.routes(), RouteConfiguration::getName, B + ":80");
    assertSameExcept(before.clusters(), after.clusters(), Cluster::getName);
    assertSameExcept(before.assignments(), after.assignments(),
        ClusterLoadAssignment::getClusterName);
  }

  @Test
  void destinationRuleChange_rebuildsItsHostsClustersAndRoutesAndTheRoutesThatReadIt() {
    XdsResources before = translate(SUBSETS_AND_SPLIT, endpoints());
    String hashed = SUBSETS_AND_SPLIT.replace("  host: a\n", """
          host: a
          trafficPolicy:
            loadBalancer: {consistentHash: {httpHeaderName: x-user}}
        """);

    XdsResources after = translate(hashed, endpoints());

    assertThat(route(after, B).getRoute().getHashPolicyList())
        .extracting(h -> h.getHeader().getHeaderName()).containsExactly("x-user");
    assertSameExcept(before.routes(), after.routes(), RouteConfiguration::getName, A + ":80",
        B + ":80");
    assertSameExcept(before.clusters(), after.clusters(), Cluster::getName, A_ALL, A_V1, A_V2);
  }

  @Test
  void destinationGoingEmpty_abortsTheRouteOfAnotherServiceThatSplitsToIt_andResumes() {
    List<ServicePort> known = List.of(new ServicePort(A, 80));
    translate(SUBSETS_AND_SPLIT, endpoints(), known);
    List<ServiceEndpoint> noA = endpoints().stream().filter(e -> !e.host().equals(A)).toList();

    XdsResources empty = translate(SUBSETS_AND_SPLIT, noA, known);
    XdsResources back = translate(SUBSETS_AND_SPLIT, endpoints(), known);

    assertThat(route(empty, B).getTypedPerFilterConfigMap())
        .containsKey(RouteTranslator.FAULT_FILTER);
    assertThat(route(back, B).getTypedPerFilterConfigMap())
        .doesNotContainKey(RouteTranslator.FAULT_FILTER);
    assertThat(routeConfig(back, C)).isSameAs(routeConfig(empty, C));
  }

  @Test
  void destinationTurningMixed_splitsTheWeightsOfAnotherServicesRoute() {
    XdsResources plain = translate(SUBSETS_AND_SPLIT, endpoints());
    List<ServiceEndpoint> mixed = new ArrayList<>(endpoints());
    mixed.add(new ServiceEndpoint(A, 80, "127.0.0.8", Map.of("version", "v1",
        MeshXdsNames.TLS_MODE_LABEL, MeshXdsNames.TLS_MODE_ISTIO)));

    XdsResources after = translate(SUBSETS_AND_SPLIT, mixed);

    assertThat(weights(route(plain, B))).containsOnlyKeys(A_V1, A_V2);
    assertThat(weights(route(after, B))).containsEntry(A_V1, 40)
        .containsEntry(XdsNames.plaintextPart(A_V1), 40).containsEntry(A_V2, 20);
    assertThat(routeConfig(after, C)).isSameAs(routeConfig(plain, C));
  }

  @Test
  void peerAuthenticationChange_rebuildsEveryClusterAndOnlyRoutesWhoseSplitsChanged() {
    List<ServiceEndpoint> mesh = endpoints().stream().map(e -> new ServiceEndpoint(e.host(),
        e.port(), e.address(), Map.of("version", e.labels().get("version"),
            MeshXdsNames.TLS_MODE_LABEL, MeshXdsNames.TLS_MODE_ISTIO))).toList();
    XdsResources mtls = translate(SUBSETS_AND_SPLIT, mesh);

    XdsResources disabled = translate(SUBSETS_AND_SPLIT + """
        ---
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: default, namespace: istio-system}
        spec: {mtls: {mode: DISABLE}}
        """, mesh);

    assertThat(cluster(mtls, A_V1).hasTransportSocket()).isTrue();
    assertThat(cluster(disabled, A_V1).hasTransportSocket()).isFalse();
    assertSameExcept(mtls.clusters(), disabled.clusters(), Cluster::getName,
        mtls.clusters().stream().map(Cluster::getName).toArray(String[]::new));
    assertThat(routeConfig(disabled, B)).isSameAs(routeConfig(mtls, B));
    assertThat(listener(disabled, MeshXdsNames.VIRTUAL_INBOUND))
        .isNotSameAs(listener(mtls, MeshXdsNames.VIRTUAL_INBOUND))
        .isNotEqualTo(listener(mtls, MeshXdsNames.VIRTUAL_INBOUND));
  }

  @Test
  void destinationServiceGainingAPort_renamesTheClusterAnotherServicesRouteNames() {
    String toA = virtualServiceOfB("""
          - route:
            - {destination: {host: a}}
        """);
    List<ServiceEndpoint> eps = List.of(
        new ServiceEndpoint(A, 9000, "127.0.0.2", Map.of()),
        new ServiceEndpoint(B, 80, "127.0.0.3", Map.of()));
    XdsResources one = translate(toA, eps, List.of());

    XdsResources two = translate(toA, eps, List.of(new ServicePort(A, 80)));

    assertThat(route(one, B).getRoute().getCluster()).isEqualTo("outbound|9000||" + A);
    assertThat(route(two, B).getRoute().getCluster()).isEqualTo(A_ALL);
    assertThat(two.listeners()).contains(one.listeners().get(0));
    assertThat(listener(two, A + ":9000")).isSameAs(listener(one, A + ":9000"));
  }

  @Test
  void callerLabelSets_eachKeepTheirOwnRoutes() {
    String bySource = virtualServiceOfB("""
          - match: [{sourceLabels: {app: canary}}]
            route: [{destination: {host: a, subset: v2}}]
          - route: [{destination: {host: a, subset: v1}}]
        """) + "---\n" + SUBSETS_AND_SPLIT.substring(0, SUBSETS_AND_SPLIT.indexOf("---"));
    MeshConfig config = config(bySource, endpoints(), List.of());
    XdsTranslator.Translation first = translator.prepare(config);
    Route canary = route(first.forWorkload("", Map.of("app", "canary")), B);
    Route other = route(first.forWorkload("", Map.of("app", "web")), B);

    XdsTranslator.Translation second = translator.prepare(config);

    assertThat(route(second.forWorkload("", Map.of("app", "canary")), B)).isSameAs(canary);
    assertThat(route(second.forWorkload("", Map.of("app", "web")), B)).isSameAs(other);
    assertThat(canary.getRoute().getCluster()).isEqualTo(A_V2);
  }

  /** The VirtualService of b, routing as {@code http} (its list items, indented 2) says. */
  private static String virtualServiceOfB(String http) {
    return """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: b}
        spec:
          hosts: [b]
          http:
        """ + http;
  }

  /** Translates with the shared translator, checked against a fresh translator's result. */
  private XdsResources translate(String yaml, List<ServiceEndpoint> endpoints) {
    return translate(yaml, endpoints, List.of());
  }

  private XdsResources translate(String yaml, List<ServiceEndpoint> endpoints,
      List<ServicePort> services) {
    MeshConfig config = config(yaml, endpoints, services);
    XdsResources incremental = translator.translate(config);
    assertThat(incremental).isEqualTo(new XdsTranslator().translate(config));
    return incremental;
  }

  private MeshConfig config(String yaml, List<ServiceEndpoint> endpoints,
      List<ServicePort> services) {
    ResourceParser.Result parsed = parser.parse("t", yaml);
    assertThat(parsed.hasErrors()).as(parsed.diagnostics().toString()).isFalse();
    List<ParsedResource> resources = parsed.resources();
    return new MeshConfig(resources, services, endpoints);
  }

  /** Two endpoints (v1, v2) for each of A, B and C, port 80, plaintext. */
  private static List<ServiceEndpoint> endpoints() {
    List<ServiceEndpoint> out = new ArrayList<>();
    int n = 2;
    for (String host : List.of(A, B, C)) {
      out.add(new ServiceEndpoint(host, 80, "127.0.0." + n++, Map.of("version", "v1")));
      out.add(new ServiceEndpoint(host, 80, "127.0.0." + n++, Map.of("version", "v2")));
    }
    return out;
  }

  /**
   * Every message of {@code after} is the very instance of {@code before} with its name, but
   * those named {@code changed}.
   */
  private static <T extends Message> void assertSameExcept(List<T> before, List<T> after,
      Function<T, String> name, String... changed) {
    Map<String, T> old = before.stream().collect(Collectors.toMap(name, m -> m));
    List<String> rebuilt = after.stream().filter(m -> old.get(name.apply(m)) != m)
        .map(name).toList();
    assertThat(rebuilt).containsExactlyInAnyOrder(changed);
  }

  private static RouteConfiguration routeConfig(XdsResources x, String host) {
    return x.routes().stream().filter(r -> r.getName().equals(host + ":80")).findFirst()
        .orElseThrow();
  }

  private static Route route(XdsResources x, String host) {
    return routeConfig(x, host).getVirtualHosts(0).getRoutes(0);
  }

  private static Map<String, Integer> weights(Route r) {
    return r.getRoute().getWeightedClusters().getClustersList().stream().collect(
        Collectors.toMap(WeightedCluster.ClusterWeight::getName, w -> w.getWeight().getValue()));
  }

  private static Listener listener(XdsResources x, String name) {
    return x.listeners().stream().filter(l -> l.getName().equals(name)).findFirst()
        .orElseThrow();
  }

  private static Cluster cluster(XdsResources x, String name) {
    return x.clusters().stream().filter(c -> c.getName().equals(name)).findFirst()
        .orElseThrow();
  }

  private static ClusterLoadAssignment assignment(XdsResources x, String name) {
    return x.assignments().stream().filter(a -> a.getClusterName().equals(name)).findFirst()
        .orElseThrow();
  }
}
