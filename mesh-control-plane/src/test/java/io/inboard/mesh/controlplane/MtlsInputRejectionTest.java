package io.inboard.mesh.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Invalid PeerAuthentication and DestinationRule {@code tls} are refused on apply, naming the
 * resource, the field, the value and what was expected, and the xDS served before stays as it
 * was.
 */
class MtlsInputRejectionTest {
  static final Map<String, String> CART = Map.of("app", "cart");
  static final String HOST = "reviews.default.svc.cluster.local";

  ControlPlane cp;

  @BeforeEach
  void start() throws Exception {
    cp = ControlPlane.builder().xdsPort(0).adminPort(-1).start();
    cp.register(new ServiceEndpoint(HOST, 9080, "127.0.0.2", 9080,
        Map.of("security.istio.io/tlsMode", "istio"), "reviews"));
    assertThat(cp.apply(PeerAuthenticationInboundTest.pa("shop", "cart",
        "{selector: {matchLabels: {app: cart}}, mtls: {mode: STRICT},"
            + " portLevelMtls: {8080: {mode: DISABLE}}}")).errors()).isEmpty();
  }

  @AfterEach
  void stop() {
    cp.close();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "PeerAuthentication|{mtls: {mode: STRIKT}}"
          + "|spec.mtls.mode: 'STRIKT' (expected: one of UNSET, DISABLE, PERMISSIVE, STRICT)",
      "PeerAuthentication|{selector: {matchLabels: {app: {name: cart}}}}"
          + "|spec.selector.matchLabels.app: a mapping (expected: a label value written as a"
          + " string, without wildcards)",
      "PeerAuthentication|{selector: {matchLabels: {version: 2}}}"
          + "|spec.selector.matchLabels.version: 2 (expected: a label value written as a"
          + " string, without wildcards)",
      "PeerAuthentication|{selector: {matchLabels: {'': cart}}}"
          + "|spec.selector.matchLabels: '' as a label key (expected: a non-empty label key)",
      "PeerAuthentication|{mtls: {mode: STRICT}, portLevelMtls: {8080: {mode: DISABLE}}}"
          + "|spec.portLevelMtls: a mapping (expected: portLevelMtls only together with"
          + " selector.matchLabels)",
      "PeerAuthentication|{selector: {matchLabels: {app: cart}}, portLevelMtls:"
          + " {70000: {mode: DISABLE}}}"
          + "|spec.portLevelMtls.70000: '70000' (expected: a port number 1..65535 as the key)",
      "PeerAuthentication|{selector: {matchLabels: {app: cart}}, portLevelMtls:"
          + " {http: {mode: DISABLE}}}"
          + "|spec.portLevelMtls.http: 'http' (expected: a port number 1..65535 as the key)",
      "PeerAuthentication|{selector: {matchLabels: {app: cart}}, portLevelMtls:"
          + " {8080: {mode: ENFORCE}}}"
          + "|spec.portLevelMtls.8080.mode: 'ENFORCE' (expected: one of UNSET, DISABLE,"
          + " PERMISSIVE, STRICT)",
      "DestinationRule|{host: reviews, trafficPolicy: {tls: {mode: MUTUAL,"
          + " privateKey: /k.pem}}}"
          + "|spec.trafficPolicy.tls.clientCertificate: missing (expected: a file path for mode"
          + " MUTUAL, or credentialName)",
      "DestinationRule|{host: reviews, trafficPolicy: {tls: {mode: STRICT}}}"
          + "|spec.trafficPolicy.tls.mode: 'STRICT' (expected: one of DISABLE, SIMPLE, MUTUAL,"
          + " ISTIO_MUTUAL)",
      "DestinationRule|{host: reviews, subsets: [{name: v1, trafficPolicy: {tls: {mode:"
          + " ISTIO_MUTUAL, caCertificates: /ca.pem}}}]}"
          + "|spec.subsets[0].trafficPolicy.tls.caCertificates: '/ca.pem' (expected: no"
          + " caCertificates with mode ISTIO_MUTUAL, which uses the mesh's certificates; mode"
          + " SIMPLE or MUTUAL to use files)",
      "DestinationRule|{host: reviews, trafficPolicy: {portLevelSettings: [{port: {number:"
          + " 0}, tls: {mode: DISABLE}}]}}"
          + "|spec.trafficPolicy.portLevelSettings[0].port.number: 0 (expected: an integer"
          + " 1..65535)",
  })
  void refusesAndKeepsServingTheLastGoodConfig(String kind, String spec, String expected)
      throws Exception {
    Listener inboundBefore = MtlsXds.inbound(cp, "shop", CART);
    Map<String, Cluster> clustersBefore = MtlsXds.clusters(cp);
    String namespace = kind.equals("PeerAuthentication") ? "shop" : "default";

    Diagnostics d = cp.apply("apiVersion: " + (kind.equals("PeerAuthentication")
        ? "security.istio.io/v1" : "networking.istio.io/v1") + "\nkind: " + kind
        + "\nmetadata: {name: cart, namespace: " + namespace + "}\nspec: " + spec + "\n");

    assertThat(d.errors()).extracting(Diagnostic::toString)
        .containsExactly(kind + " " + namespace + "/cart: " + expected);
    assertThat(MtlsXds.inbound(cp, "shop", CART)).isEqualTo(inboundBefore);
    assertThat(MtlsXds.modes(inboundBefore)).isEqualTo("8080=DISABLE,default=STRICT");
    assertThat(MtlsXds.clusters(cp)).isEqualTo(clustersBefore);
    assertThat(cp.resources("", "", "")).extracting(StoredResource::id)
        .containsExactly(new ResourceId("PeerAuthentication", "shop", "cart"));
    assertThat(List.copyOf(clustersBefore.keySet()))
        .containsExactly("outbound|9080||" + HOST);
  }
}
