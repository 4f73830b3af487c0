package io.inboard.mesh.controlplane;

import static io.inboard.mesh.controlplane.SecurityPolicyXds.authorizationPolicies;
import static io.inboard.mesh.controlplane.SecurityPolicyXds.policy;
import static io.inboard.mesh.controlplane.SecurityPolicyXds.requestAuthentications;
import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.inboard.mesh.security.internal.authz.PolicySource;
import io.inboard.mesh.security.internal.inbound.SecurityPolicyWire;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * AuthorizationPolicies and RequestAuthentications as workloads receive them: on the {@code
 * virtualInbound} listener's metadata, over a raw ADS stream from a real control plane, each
 * workload group with the policies of its namespace and labels.
 */
class SecurityPolicyInboundTest {
  static final Map<String, String> CART = Map.of("app", "cart", "version", "v1");
  static final Map<String, String> RATINGS = Map.of("app", "ratings");

  ControlPlane cp;

  @BeforeEach
  void start() throws Exception {
    cp = ControlPlane.builder().xdsPort(0).adminPort(-1).start();
  }

  @AfterEach
  void stop() {
    cp.close();
  }

  private void apply(String yaml) {
    assertThat(cp.apply(yaml).errors()).isEmpty();
  }

  @Test
  void workloadGroupsReceiveThePoliciesOfTheirNamespaceAndLabels() throws Exception {
    apply(policy("AuthorizationPolicy", "istio-system", "mesh-deny", "{action: DENY,"
        + " rules: [{to: [{operation: {paths: [/admin]}}]}]}"));
    apply(policy("AuthorizationPolicy", "istio-system", "all-carts",
        "{selector: {matchLabels: {app: cart}}, action: ALLOW, rules: [{}]}"));
    apply(policy("AuthorizationPolicy", "shop", "shop-wide", "{action: ALLOW, rules: [{}]}"));
    apply(policy("AuthorizationPolicy", "other", "other-wide", "{action: ALLOW, rules: [{}]}"));
    apply(policy("RequestAuthentication", "shop", "jwt", "{selector: {matchLabels:"
        + " {app: cart}}, jwtRules: [{issuer: https://issuer.example, jwks: '"
        + JwksServer.rsaKeySet("k1") + "'}]}"));

    assertThat(authorizationPolicies(cp, "shop", CART)).extracting(PolicySource::id)
        .containsExactly("istio-system/all-carts", "istio-system/mesh-deny", "shop/shop-wide");
    assertThat(requestAuthentications(cp, "shop", CART)).extracting(PolicySource::id)
        .containsExactly("shop/jwt");
    assertThat(authorizationPolicies(cp, "shop", RATINGS)).extracting(PolicySource::id)
        .containsExactly("istio-system/mesh-deny", "shop/shop-wide");
    assertThat(requestAuthentications(cp, "shop", RATINGS)).isEmpty();
    assertThat(authorizationPolicies(cp, "other", CART)).extracting(PolicySource::id)
        .containsExactly("istio-system/all-carts", "istio-system/mesh-deny", "other/other-wide");
  }

  @Test
  void specIsServedAsWritten() throws Exception {
    apply(policy("AuthorizationPolicy", "shop", "get-only", "{action: ALLOW, rules: [{to:"
        + " [{operation: {methods: [GET], ports: ['8080']}}]}]}"));

    Map<String, Object> expected = Map.of("action", "ALLOW", "rules", List.of(Map.of("to",
        List.of(Map.of("operation", Map.of("methods", List.of("GET"),
            "ports", List.of("8080")))))));
    assertThat(authorizationPolicies(cp, "shop", CART)).singleElement()
        .satisfies(p -> assertThat(p.spec()).isEqualTo(expected));
  }

  @Test
  void workloadWithoutPoliciesReceivesBothListsEmpty() throws Exception {
    apply(policy("AuthorizationPolicy", "other", "other-wide", "{action: ALLOW, rules: [{}]}"));

    Listener inbound = MtlsXds.inbound(cp, "shop", CART);

    // present and empty: "no policy", not "a control plane that sends none"
    assertThat(SecurityPolicyXds.metadata(inbound).getFieldsMap())
        .containsKeys(SecurityPolicyWire.AUTHORIZATION_POLICIES,
            SecurityPolicyWire.REQUEST_AUTHENTICATIONS);
    assertThat(SecurityPolicyWire.authorizationPolicies(SecurityPolicyXds.metadata(inbound)))
        .isEmpty();
    assertThat(SecurityPolicyWire.requestAuthentications(SecurityPolicyXds.metadata(inbound)))
        .isEmpty();
    assertThat(MtlsXds.modes(inbound)).isEqualTo("default=PERMISSIVE");
  }

  @Test
  void invalidUpdateIsRejectedAndThePreviousVersionStaysInForce() throws Exception {
    apply(policy("AuthorizationPolicy", "shop", "deny-admin", "{action: DENY, rules: [{to:"
        + " [{operation: {paths: [/admin]}}]}]}"));

    Diagnostics rejected = cp.apply(policy("AuthorizationPolicy", "shop", "deny-admin",
        "{action: DENY, rules: [{to: [{operation: {paths: ['/admin/{id}']}}]}]}"));

    assertThat(rejected.errors()).extracting(Diagnostic::field)
        .containsExactly("spec.rules[0].to[0].operation.paths[0]");
    assertThat(authorizationPolicies(cp, "shop", CART)).singleElement()
        .satisfies(p -> assertThat(p.spec().toString()).contains("paths=[/admin]"));
  }

  @Test
  void policyThatOnlyTargetsAWaypointIsWarnedAboutAndServedToNoWorkload() throws Exception {
    Diagnostics d = cp.apply(policy("AuthorizationPolicy", "shop", "waypoint", "{targetRefs:"
        + " [{kind: Service, group: '', name: cart}], action: DENY, rules: [{}]}"));

    assertThat(d.errors()).isEmpty();
    assertThat(d.warnings()).extracting(Diagnostic::field).contains("spec.targetRefs");
    assertThat(d.notServed()).isEmpty();
    assertThat(authorizationPolicies(cp, "shop", CART)).isEmpty();
  }

  @Test
  void deletedPolicyIsNoLongerServed() throws Exception {
    String p = policy("AuthorizationPolicy", "shop", "shop-wide", "{action: ALLOW, rules: [{}]}");
    apply(p);
    assertThat(authorizationPolicies(cp, "shop", CART)).hasSize(1);

    cp.delete(p);

    assertThat(authorizationPolicies(cp, "shop", CART)).isEmpty();
  }
}
