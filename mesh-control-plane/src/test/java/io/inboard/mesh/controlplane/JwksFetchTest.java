package io.inboard.mesh.controlplane;

import static io.inboard.mesh.controlplane.SecurityPolicyXds.jwtRule;
import static io.inboard.mesh.controlplane.SecurityPolicyXds.policy;
import static io.inboard.mesh.controlplane.SecurityPolicyXds.requestAuthentications;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.inboard.mesh.api.internal.MeshXdsNames;
import io.inboard.mesh.security.internal.authz.PolicySource;
import io.inboard.mesh.security.internal.inbound.SecurityPolicyWire;
import io.inboard.mesh.testing.LoopbackPorts;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The control plane fetches each RequestAuthentication {@code jwksUri} itself, as istiod does,
 * and serves the key set inline: from a loopback JWKS endpoint, refreshed every 200 ms here,
 * rotation pushed, failures keeping the last good set and reported in the diagnostics.
 */
class JwksFetchTest {
  static final Map<String, String> CART = Map.of("app", "cart");
  static final Duration REFRESH = Duration.ofMillis(200);

  JwksServer idp;
  ControlPlane cp;

  @BeforeEach
  void start() throws Exception {
    idp = new JwksServer();
    cp = ControlPlane.builder().xdsPort(0).adminPort(-1).jwksRefreshInterval(REFRESH).start();
  }

  @AfterEach
  void stop() {
    cp.close();
    idp.close();
  }

  private String requestAuthentication(String jwksUri) {
    return policy("RequestAuthentication", "shop", "jwt", "{jwtRules: [{issuer:"
        + " https://issuer.example, jwksUri: '" + jwksUri + "', timeout: 2s}]}");
  }

  private Object servedJwks() throws Exception {
    return jwtRule(requestAuthentications(cp, "shop", CART).get(0), 0).get("jwks");
  }

  @Test
  void fetchedKeySetIsServedInline() throws Exception {
    String keys = JwksServer.rsaKeySet("k1");
    idp.serve(keys);

    assertThat(cp.apply(requestAuthentication(idp.uri())).errors()).isEmpty();

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(servedJwks()).isEqualTo(keys));
    PolicySource served = requestAuthentications(cp, "shop", CART).get(0);
    assertThat(jwtRule(served, 0).get("jwksUri")).isEqualTo(idp.uri());
    assertThat(cp.diagnostics().warnings()).isEmpty();
  }

  @Test
  void rotatedKeySetIsPushedAfterTheRefreshInterval() throws Exception {
    String k1 = JwksServer.rsaKeySet("k1");
    String k2 = JwksServer.rsaKeySet("k2");
    idp.serve(k1);
    cp.apply(requestAuthentication(idp.uri()));
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(servedJwks()).isEqualTo(k1));

    try (RawAdsStream s = RawAdsStream.open(cp.xdsAddress(), MtlsXds.node("shop", CART))) {
      List<String> names = List.of(MeshXdsNames.VIRTUAL_INBOUND);
      DiscoveryResponse first = s.subscribe(RawAdsStream.LISTENER, names);
      assertThat(jwks(first)).isEqualTo(k1);
      s.ack(first, names);

      idp.serve(k2);

      // pushed on the open stream, without any change of configuration
      DiscoveryResponse pushed = s.next();
      assertThat(jwks(pushed)).isEqualTo(k2);
    }
  }

  @Test
  void failedOrInvalidFetchKeepsTheLastGoodKeySetAndIsReported() throws Exception {
    String k1 = JwksServer.rsaKeySet("k1");
    idp.serve(k1);
    cp.apply(requestAuthentication(idp.uri()));
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(servedJwks()).isEqualTo(k1));

    idp.fail(503);

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(cp.diagnostics().warnings()).singleElement().satisfies(d -> {
          assertThat(d.resource()).isEqualTo(new ResourceId("RequestAuthentication", "shop",
              "jwt"));
          assertThat(d.field()).isEqualTo("spec.jwtRules[0].jwksUri");
          assertThat(d.message()).contains(idp.uri(), "HTTP 503")
              .endsWith("the last good key set stays in use");
        }));
    assertThat(servedJwks()).isEqualTo(k1);

    idp.serve("{\"issuer\": \"https://issuer.example\"}");

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(cp.diagnostics().warnings()).singleElement().satisfies(d ->
            assertThat(d.message()).contains("not a JSON Web Key Set: an object without a"
                + " \"keys\" array")));
    assertThat(servedJwks()).isEqualTo(k1);
    assertThat(cp.resources("RequestAuthentication", "shop", "jwt").get(0).diagnostics())
        .extracting(Diagnostic::field).containsExactly("spec.jwtRules[0].jwksUri");

    idp.serve(k1);

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(cp.diagnostics().warnings()).isEmpty());
  }

  @Test
  void unreachableUriLeavesTheRuleWithoutKeysAndIsReported() throws Exception {
    // a loopback port nothing listens on
    String unreachable = "http://127.0.0.1:" + LoopbackPorts.free() + "/jwks";

    cp.apply(requestAuthentication(unreachable));

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(cp.diagnostics().warnings()).singleElement().satisfies(d -> {
          assertThat(d.field()).isEqualTo("spec.jwtRules[0].jwksUri");
          assertThat(d.message()).contains(unreachable, "fetch failed").endsWith("no key set"
              + " has been fetched yet, so tokens of issuer 'https://issuer.example' are"
              + " rejected");
        }));
    // as Istio with an unreachable JWKS: the workload rejects this issuer's tokens
    assertThat(jwtRule(requestAuthentications(cp, "shop", CART).get(0), 0))
        .doesNotContainKey("jwks");
  }

  @Test
  void uriNoLongerReferencedIsNoLongerFetched() throws Exception {
    idp.serve(JwksServer.rsaKeySet("k1"));
    String ra = requestAuthentication(idp.uri());
    cp.apply(ra);
    await().atMost(Duration.ofSeconds(10)).until(() -> idp.fetches() >= 2);

    cp.delete(ra);
    int afterDelete = idp.fetches() + 1; // one may have been under way

    // five refresh intervals without a fetch
    await().during(REFRESH.multipliedBy(5)).atMost(Duration.ofSeconds(5))
        .until(() -> idp.fetches() <= afterDelete);
  }

  private static String jwks(DiscoveryResponse r) throws Exception {
    Listener l = r.getResources(0).unpack(Listener.class);
    List<PolicySource> ras = SecurityPolicyWire.requestAuthentications(
        SecurityPolicyXds.metadata(l));
    return (String) jwtRule(ras.get(0), 0).get("jwks");
  }
}
