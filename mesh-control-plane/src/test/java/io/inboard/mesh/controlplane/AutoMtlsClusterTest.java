package io.inboard.mesh.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Client TLS of the clusters a real control plane serves: auto-mTLS from the endpoints' {@code
 * security.istio.io/tlsMode} label and the namespace's PeerAuthentication, DestinationRule
 * {@code tls} at every level, and the split of clusters whose endpoints are mixed.
 */
class AutoMtlsClusterTest {
  static final String HOST = "reviews.default.svc.cluster.local";
  static final String ALL = "outbound|9080||" + HOST;
  static final Map<String, String> MESH = Map.of("security.istio.io/tlsMode", "istio");

  ControlPlane cp;

  @BeforeEach
  void start() throws Exception {
    cp = ControlPlane.builder().xdsPort(0).adminPort(-1).start();
  }

  @AfterEach
  void stop() {
    cp.close();
  }

  static ServiceEndpoint endpoint(String address, String version, boolean mesh, String sa) {
    Map<String, String> labels = new java.util.HashMap<>(Map.of("version", version));
    if (mesh) {
      labels.putAll(MESH);
    }
    return new ServiceEndpoint(HOST, 9080, address, 9080, labels, sa);
  }

  static String dr(String trafficPolicy) {
    return """
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: reviews}
        spec:
          host: reviews
          trafficPolicy: %s
          subsets:
          - {name: v1, labels: {version: v1}}
          - name: v2
            labels: {version: v2}
            trafficPolicy: {tls: {mode: SIMPLE, caCertificates: /etc/ca.pem, sni: v2.example}}
        """.formatted(trafficPolicy);
  }

  @Test
  void meshEndpointsGetIstioMutualWithTheirServiceAccounts() throws Exception {
    cp.register(List.of(endpoint("127.0.0.2", "v1", true, "reviews-v1"),
        endpoint("127.0.0.3", "v2", true, "bookinfo-reviews"),
        endpoint("127.0.0.4", "v2", true, "bookinfo-reviews")));

    Cluster c = MtlsXds.clusters(cp).get(ALL);

    assertThat(MtlsXds.tls(c)).isEqualTo("ISTIO_MUTUAL auto");
    UpstreamTlsContext tls = MtlsXds.upstream(c);
    assertThat(tls.getSni()).isEqualTo("outbound_.9080_._." + HOST);
    CommonTlsContext common = tls.getCommonTlsContext();
    assertThat(common.getTlsCertificateProviderInstance().getInstanceName()).isEqualTo("default");
    assertThat(common.getTlsCertificateProviderInstance().getCertificateName())
        .isEqualTo("default");
    assertThat(common.getValidationContext().getCaCertificateProviderInstance().getInstanceName())
        .isEqualTo("ROOTCA");
    assertThat(common.getValidationContext().getCaCertificateProviderInstance()
        .getCertificateName()).isEqualTo("ROOTCA");
    assertThat(MtlsXds.sans(c)).containsExactly(
        "spiffe://cluster.local/ns/default/sa/bookinfo-reviews",
        "spiffe://cluster.local/ns/default/sa/reviews-v1");
  }

  @Test
  void autoRegisteredWorkloadAnnouncingTheMeshLabelGetsIstioMutual() throws Exception {
    Struct labels = Struct.newBuilder()
        .putFields("app", str("ratings"))
        .putFields("security.istio.io/tlsMode", str("istio")).build();
    Node node = Node.newBuilder().setId("ratings-v1").setMetadata(Struct.newBuilder()
        .putFields("NAMESPACE", str("default"))
        .putFields("WORKLOAD_NAME", str("ratings-v1"))
        .putFields("SERVICE_ACCOUNT", str("bookinfo-ratings"))
        .putFields("LABELS", Value.newBuilder().setStructValue(labels).build())
        .putFields("INSTANCE_IPS", str("127.0.0.9"))
        .putFields("INBOARD_SERVICE", str("ratings"))
        .putFields("INBOARD_PORTS", Value.newBuilder().setStructValue(Struct.newBuilder()
            .putFields("grpc", str("9080"))).build())).build();

    try (RawAdsStream s = RawAdsStream.open(cp.xdsAddress(), node)) {
      s.subscribe(RawAdsStream.LISTENER, List.of("virtualInbound"));
      String ratings = "outbound|9080||ratings.default.svc.cluster.local";
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(MtlsXds.clusters(cp)).containsKey(ratings));

      Cluster c = MtlsXds.clusters(cp).get(ratings);
      assertThat(MtlsXds.tls(c)).isEqualTo("ISTIO_MUTUAL auto");
      assertThat(MtlsXds.sans(c))
          .containsExactly("spiffe://cluster.local/ns/default/sa/bookinfo-ratings");
    }
  }

  private static Value str(String s) {
    return Value.newBuilder().setStringValue(s).build();
  }

  @Test
  void nonMeshEndpointsStayPlaintext() throws Exception {
    cp.register(endpoint("127.0.0.2", "v1", false, "reviews"));

    assertThat(MtlsXds.tls(MtlsXds.clusters(cp).get(ALL))).isEqualTo("DISABLE auto");
  }

  @Test
  void workloadPortDisableMakesThoseEndpointsPlaintextWithoutADestinationRule() throws Exception {
    cp.register(List.of(endpoint("127.0.0.2", "v1", true, "reviews"),
        endpoint("127.0.0.3", "v2", true, "reviews")));
    cp.apply(PeerAuthenticationInboundTest.pa("default", "v2-port", "{selector: {matchLabels: "
        + "{version: v2}}, mtls: {mode: STRICT}, portLevelMtls: {9080: {mode: DISABLE}}}"));

    // as istiod marks such endpoints tlsMode "disabled": v2 is reached in plaintext, v1 in mTLS
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
        MtlsXds.clusters(cp)).containsKey(ALL + "~plaintext"));
    assertThat(MtlsXds.tls(MtlsXds.clusters(cp).get(ALL))).isEqualTo("ISTIO_MUTUAL auto");
    assertThat(MtlsXds.tls(MtlsXds.clusters(cp).get(ALL + "~plaintext")))
        .isEqualTo("DISABLE auto");
  }

  @Test
  void namespaceDisableKeepsMeshEndpointsPlaintext() throws Exception {
    cp.register(endpoint("127.0.0.2", "v1", true, "reviews"));
    cp.apply(PeerAuthenticationInboundTest.pa("default", "default", "{mtls: {mode: DISABLE}}"));

    assertThat(MtlsXds.tls(MtlsXds.clusters(cp).get(ALL))).isEqualTo("DISABLE auto");
  }

  @Test
  void destinationRuleDisableOverridesAutoMtls() throws Exception {
    cp.register(endpoint("127.0.0.2", "v1", true, "reviews"));
    cp.apply(dr("{tls: {mode: DISABLE}}"));

    Map<String, Cluster> clusters = MtlsXds.clusters(cp);
    assertThat(MtlsXds.tls(clusters.get(ALL))).isEqualTo("DISABLE");
    assertThat(MtlsXds.tls(clusters.get("outbound|9080|v1|" + HOST))).isEqualTo("DISABLE");
  }

  @Test
  void destinationRuleIstioMutualAppliesToNonMeshEndpointsWithItsSans() throws Exception {
    cp.register(endpoint("127.0.0.2", "v1", false, "reviews"));
    cp.apply(dr("{tls: {mode: ISTIO_MUTUAL, subjectAltNames: [spiffe://other/ns/a/sa/b],"
        + " sni: reviews.internal}}"));

    Cluster c = MtlsXds.clusters(cp).get(ALL);
    assertThat(MtlsXds.tls(c)).isEqualTo("ISTIO_MUTUAL");
    assertThat(MtlsXds.sans(c)).containsExactly("spiffe://other/ns/a/sa/b");
    assertThat(MtlsXds.upstream(c).getSni()).isEqualTo("reviews.internal");
  }

  @Test
  void subsetAndPortLevelTlsOverrideTheHostLevel() throws Exception {
    cp.register(List.of(endpoint("127.0.0.2", "v1", false, "reviews"),
        endpoint("127.0.0.3", "v2", false, "reviews"),
        new ServiceEndpoint(HOST, 9090, "127.0.0.2", 9090, Map.of("version", "v1"), "reviews")));
    cp.apply(dr("""
        {tls: {mode: ISTIO_MUTUAL},
             portLevelSettings: [{port: {number: 9090}, tls: {mode: MUTUAL,
               clientCertificate: /etc/cert.pem, privateKey: /etc/key.pem,
               caCertificates: /etc/ca.pem, subjectAltNames: [reviews.example]}}]}"""));

    Map<String, Cluster> clusters = MtlsXds.clusters(cp);
    assertThat(MtlsXds.tls(clusters.get(ALL))).isEqualTo("ISTIO_MUTUAL");
    assertThat(MtlsXds.tls(clusters.get("outbound|9080|v1|" + HOST))).isEqualTo("ISTIO_MUTUAL");
    assertThat(MtlsXds.upstream(clusters.get("outbound|9080|v1|" + HOST)).getSni())
        .isEqualTo("outbound_.9080_.v1_." + HOST);
    Cluster v2 = clusters.get("outbound|9080|v2|" + HOST);
    assertThat(MtlsXds.tls(v2)).isEqualTo("SIMPLE");
    assertThat(MtlsXds.upstream(v2).getSni()).isEqualTo("v2.example");
    assertThat(MtlsXds.upstream(v2).getCommonTlsContext().getValidationContext().getTrustedCa()
        .getFilename()).isEqualTo("/etc/ca.pem");
    assertThat(MtlsXds.upstream(v2).getCommonTlsContext().getTlsCertificatesList()).isEmpty();
    Cluster port9090 = clusters.get("outbound|9090||" + HOST);
    assertThat(MtlsXds.tls(port9090)).isEqualTo("MUTUAL");
    CommonTlsContext mutual = MtlsXds.upstream(port9090).getCommonTlsContext();
    assertThat(mutual.getTlsCertificates(0).getCertificateChain().getFilename())
        .isEqualTo("/etc/cert.pem");
    assertThat(mutual.getTlsCertificates(0).getPrivateKey().getFilename())
        .isEqualTo("/etc/key.pem");
    assertThat(MtlsXds.sans(port9090)).containsExactly("reviews.example");
    // the subset v2 sets its own tls, which wins over the host's port level
    assertThat(MtlsXds.tls(clusters.get("outbound|9090|v2|" + HOST))).isEqualTo("SIMPLE");
  }

  @Test
  void insecureSkipVerifyLeavesOutValidation() throws Exception {
    cp.register(endpoint("127.0.0.2", "v1", false, "reviews"));
    cp.apply(dr("{tls: {mode: SIMPLE, caCertificates: /etc/ca.pem, insecureSkipVerify: true}}"));

    assertThat(MtlsXds.upstream(MtlsXds.clusters(cp).get(ALL)).getCommonTlsContext()
        .hasValidationContext()).isFalse();
  }

  @Test
  void simpleAndMutualAreWarnedAboutForGrpcClients() {
    Diagnostics d = cp.apply(dr("{tls: {mode: MUTUAL, clientCertificate: /c.pem,"
        + " privateKey: /k.pem}}"));

    assertThat(d.errors()).isEmpty();
    assertThat(d.warnings()).extracting(Diagnostic::field).contains(
        "spec.trafficPolicy.tls.mode", "spec.subsets[1].trafficPolicy.tls.mode");
    assertThat(d.warnings().get(0).message()).startsWith("honoured by HTTP clients only");
  }

  @Test
  void mixedEndpointsSplitIntoMtlsAndPlaintextClustersAndWeights() throws Exception {
    cp.register(List.of(endpoint("127.0.0.2", "v1", true, "reviews"),
        endpoint("127.0.0.3", "v1", false, ""), endpoint("127.0.0.4", "v1", false, ""),
        endpoint("127.0.0.5", "v2", true, "reviews"), endpoint("127.0.0.6", "v2", true, ""),
        endpoint("127.0.0.7", "v2", true, ""), endpoint("127.0.0.8", "v2", false, "")));
    cp.apply("""
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: reviews}
        spec:
          host: reviews
          subsets:
          - {name: v1, labels: {version: v1}}
          - {name: v2, labels: {version: v2}}
        """);
    cp.apply("""
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: reviews}
        spec:
          hosts: [reviews]
          http:
          - route:
            - {destination: {host: reviews, subset: v1}, weight: 50}
            - {destination: {host: reviews, subset: v2}, weight: 50}
        """);

    Map<String, Cluster> clusters = MtlsXds.clusters(cp);
    assertThat(MtlsXds.tls(clusters.get(ALL))).isEqualTo("ISTIO_MUTUAL auto");
    assertThat(MtlsXds.tls(clusters.get(ALL + "~plaintext"))).isEqualTo("DISABLE auto");
    assertThat(MtlsXds.sans(clusters.get(ALL)))
        .containsExactly("spiffe://cluster.local/ns/default/sa/reviews");
    try (RawAdsStream s = RawAdsStream.open(cp.xdsAddress(), MtlsXds.node("", Map.of()))) {
      RouteConfiguration rc = s.subscribe(RawAdsStream.ROUTES, List.of(HOST + ":9080"))
          .getResources(0).unpack(RouteConfiguration.class);
      // v1: 1 of 3 endpoints in the mesh, 50 * 1/3 rounds to 17; v2: 3 of 4, 50 * 3/4 to 38
      assertThat(rc.getVirtualHosts(0).getRoutes(0).getRoute().getWeightedClusters()
          .getClustersList()).extracting(WeightedCluster.ClusterWeight::getName,
              w -> w.getWeight().getValue()).containsExactly(
          org.assertj.core.groups.Tuple.tuple("outbound|9080|v1|" + HOST, 17),
          org.assertj.core.groups.Tuple.tuple("outbound|9080|v1|" + HOST + "~plaintext", 33),
          org.assertj.core.groups.Tuple.tuple("outbound|9080|v2|" + HOST, 38),
          org.assertj.core.groups.Tuple.tuple("outbound|9080|v2|" + HOST + "~plaintext", 12));
    }
    try (RawAdsStream s = RawAdsStream.open(cp.xdsAddress(), MtlsXds.node("", Map.of()))) {
      var assignments = MtlsXds.resources(s.subscribe(RawAdsStream.ENDPOINTS,
          List.of("outbound|9080|v1|" + HOST, "outbound|9080|v1|" + HOST + "~plaintext")),
          io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment.class);
      assertThat(assignments).extracting(a -> a.getClusterName(),
          a -> a.getEndpoints(0).getLbEndpointsCount()).containsExactlyInAnyOrder(
          org.assertj.core.groups.Tuple.tuple("outbound|9080|v1|" + HOST, 1),
          org.assertj.core.groups.Tuple.tuple("outbound|9080|v1|" + HOST + "~plaintext", 2));
    }
  }

  @Test
  void aSplitWhoseShareRoundsToZeroIsLeftOut() throws Exception {
    List<ServiceEndpoint> endpoints = new java.util.ArrayList<>();
    endpoints.add(endpoint("127.0.0.2", "v1", false, ""));
    for (int i = 0; i < 300; i++) {
      endpoints.add(endpoint("10.0." + (i / 200) + "." + (i % 200 + 1), "v1", true, "reviews"));
    }
    cp.register(endpoints);

    try (RawAdsStream s = RawAdsStream.open(cp.xdsAddress(), MtlsXds.node("", Map.of()))) {
      RouteConfiguration rc = s.subscribe(RawAdsStream.ROUTES, List.of(HOST + ":9080"))
          .getResources(0).unpack(RouteConfiguration.class);
      // the plaintext part's share of 100 is 1/301: it rounds to 0, so all go to mTLS
      assertThat(rc.getVirtualHosts(0).getRoutes(0).getRoute().getCluster()).isEqualTo(ALL);
    }
  }
}
