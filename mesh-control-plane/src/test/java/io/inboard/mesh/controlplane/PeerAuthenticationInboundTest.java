package io.inboard.mesh.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * PeerAuthentication as Istio composes it, seen in the {@code virtualInbound} listener a
 * workload of a given namespace and labels receives over a raw ADS stream from a real control
 * plane: scopes, precedence, inheritance of UNSET, the oldest policy winning, and the root
 * namespace.
 */
class PeerAuthenticationInboundTest {
  static final Map<String, String> CART = Map.of("app", "cart", "version", "v1");

  static String pa(String namespace, String name, String spec) {
    return """
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: %s, namespace: %s}
        spec: %s
        """.formatted(name, namespace, spec);
  }

  static String pa(String namespace, String name, String created, String spec) {
    return """
        apiVersion: security.istio.io/v1beta1
        kind: PeerAuthentication
        metadata: {name: %s, namespace: %s, creationTimestamp: "%s"}
        spec: %s
        """.formatted(name, namespace, created, spec);
  }

  static final String MESH_STRICT = pa("istio-system", "default", "{mtls: {mode: STRICT}}");

  /** name, policies applied one by one in this order, node namespace, expected chains. */
  static Stream<Arguments> semantics() {
    return Stream.of(
        Arguments.of("no policy is PERMISSIVE", List.of(), "shop", "default=PERMISSIVE"),
        Arguments.of("mesh-wide STRICT", List.of(MESH_STRICT), "shop", "default=STRICT"),
        Arguments.of("namespace overrides mesh", List.of(MESH_STRICT,
            pa("shop", "default", "{mtls: {mode: DISABLE}}")), "shop", "default=DISABLE"),
        Arguments.of("another namespace's policy does not apply", List.of(MESH_STRICT,
            pa("other", "default", "{mtls: {mode: DISABLE}}")), "shop", "default=STRICT"),
        Arguments.of("namespace UNSET inherits mesh", List.of(MESH_STRICT,
            pa("shop", "default", "{mtls: {mode: UNSET}}")), "shop", "default=STRICT"),
        Arguments.of("mesh UNSET is PERMISSIVE",
            List.of(pa("istio-system", "default", "{mtls: {}}")), "shop", "default=PERMISSIVE"),
        Arguments.of("workload and its ports override namespace", List.of(
            pa("shop", "default", "{mtls: {mode: STRICT}}"),
            pa("shop", "cart", "{selector: {matchLabels: {app: cart}}, mtls: {mode: DISABLE},"
                + " portLevelMtls: {8080: {mode: STRICT}, 9090: {mode: UNSET}}}")),
            "shop", "8080=STRICT,9090=DISABLE,default=DISABLE"),
        Arguments.of("workload UNSET inherits namespace, its port does not", List.of(
            pa("shop", "default", "{mtls: {mode: STRICT}}"),
            pa("shop", "cart", "{selector: {matchLabels: {app: cart}},"
                + " portLevelMtls: {8080: {mode: PERMISSIVE}}}")),
            "shop", "8080=PERMISSIVE,default=STRICT"),
        Arguments.of("workload policy of other labels does not apply", List.of(MESH_STRICT,
            pa("shop", "ratings", "{selector: {matchLabels: {app: ratings}},"
                + " mtls: {mode: DISABLE}}")), "shop", "default=STRICT"),
        Arguments.of("workload policy of another namespace does not apply", List.of(
            pa("other", "cart", "{selector: {matchLabels: {app: cart}},"
                + " mtls: {mode: STRICT}}")), "shop", "default=PERMISSIVE"),
        Arguments.of("selector in the root namespace is ignored", List.of(
            pa("istio-system", "cart", "{selector: {matchLabels: {app: cart}},"
                + " mtls: {mode: STRICT}}")), "shop", "default=PERMISSIVE"),
        Arguments.of("oldest namespace policy wins (order of first apply)", List.of(
            pa("shop", "b-first", "{mtls: {mode: STRICT}}"),
            pa("shop", "a-second", "{mtls: {mode: DISABLE}}")), "shop", "default=STRICT"),
        Arguments.of("oldest workload policy wins (order of first apply)", List.of(
            pa("shop", "z-first", "{selector: {matchLabels: {version: v1}},"
                + " mtls: {mode: DISABLE}}"),
            pa("shop", "a-second", "{selector: {matchLabels: {app: cart}},"
                + " mtls: {mode: STRICT}}")), "shop", "default=DISABLE"),
        Arguments.of("oldest by creationTimestamp wins", List.of(
            pa("shop", "newer", "2024-02-01T00:00:00Z", "{mtls: {mode: STRICT}}"),
            pa("shop", "older", "2024-01-01T00:00:00Z", "{mtls: {mode: DISABLE}}")),
            "shop", "default=DISABLE"),
        Arguments.of("equal creationTimestamps: the first name wins", List.of(
            pa("shop", "b", "2024-01-01T00:00:00Z", "{mtls: {mode: STRICT}}"),
            pa("shop", "a", "2024-01-01T00:00:00Z", "{mtls: {mode: DISABLE}}")),
            "shop", "default=DISABLE"),
        Arguments.of("a node naming no namespace is in the default namespace", List.of(
            pa("default", "default", "{mtls: {mode: STRICT}}")), "", "default=STRICT"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("semantics")
  void inboundListenerShowsEffectiveModes(String name, List<String> policies, String namespace,
      String expected) throws Exception {
    try (ControlPlane cp = ControlPlane.builder().xdsPort(0).adminPort(-1).start()) {
      for (String p : policies) {
        assertThat(cp.apply(p).errors()).isEmpty();
      }

      assertThat(MtlsXds.modes(MtlsXds.inbound(cp, namespace, CART))).isEqualTo(expected);
    }
  }

  @Test
  void rootNamespaceIsConfigurable() throws Exception {
    try (ControlPlane cp = ControlPlane.builder().xdsPort(0).adminPort(-1)
        .rootNamespace("mesh-root").start()) {
      cp.apply(pa("mesh-root", "default", "{mtls: {mode: STRICT}}"));
      // an ordinary namespace now: its policy is namespace-wide only
      cp.apply(pa("istio-system", "default", "{mtls: {mode: DISABLE}}"));

      assertThat(cp.rootNamespace()).isEqualTo("mesh-root");
      assertThat(MtlsXds.modes(MtlsXds.inbound(cp, "shop", CART))).isEqualTo("default=STRICT");
      assertThat(MtlsXds.modes(MtlsXds.inbound(cp, "istio-system", CART)))
          .isEqualTo("default=DISABLE");
    }
  }

  @Test
  void selectorInRootNamespaceIsWarnedAbout() throws Exception {
    try (ControlPlane cp = ControlPlane.builder().xdsPort(0).adminPort(-1).start()) {
      Diagnostics d = cp.apply(pa("istio-system", "cart", "{selector: {matchLabels:"
          + " {app: cart}}, mtls: {mode: STRICT}}"));

      assertThat(d.warnings()).extracting(Diagnostic::field).containsExactly("spec.selector");
      assertThat(d.warnings().get(0).message()).startsWith("ignored: a PeerAuthentication with"
          + " a selector in the root namespace istio-system applies to no workload");
      assertThat(d.notServed()).isEmpty();
    }
  }

  @Test
  void permissiveWarnsThatTheJdkHttpServerAcceptsOnlyMtls() throws Exception {
    try (ControlPlane cp = ControlPlane.builder().xdsPort(0).adminPort(-1).start()) {
      Diagnostics d = cp.apply(pa("default", "cart", "{selector: {matchLabels: {app: cart}},"
          + " mtls: {mode: STRICT}, portLevelMtls: {8080: {mode: PERMISSIVE}}}"));

      assertThat(d.errors()).isEmpty();
      assertThat(d.warnings()).extracting(Diagnostic::field)
          .containsExactly("spec.portLevelMtls.8080.mode");
      assertThat(d.warnings().get(0).message()).startsWith("PERMISSIVE: workloads serving HTTP"
          + " on the JDK HttpServer (MeshHttpServers) accept only mTLS");
    }
  }

  @Test
  void listenerFollowsPolicyChangesOnTheOpenStream() throws Exception {
    try (ControlPlane cp = ControlPlane.builder().xdsPort(0).adminPort(-1).start();
        RawAdsStream s = RawAdsStream.open(cp.xdsAddress(), MtlsXds.node("shop", CART))) {
      List<String> names = List.of("virtualInbound");
      var first = s.subscribe(RawAdsStream.LISTENER, names);
      assertThat(MtlsXds.modes(first.getResources(0).unpack(
          io.envoyproxy.envoy.config.listener.v3.Listener.class))).isEqualTo("default=PERMISSIVE");
      s.ack(first, names);

      cp.apply(MESH_STRICT);

      var pushed = s.next();
      assertThat(MtlsXds.modes(pushed.getResources(0).unpack(
          io.envoyproxy.envoy.config.listener.v3.Listener.class))).isEqualTo("default=STRICT");
    }
  }
}
