package io.inboard.mesh.controlplane.internal.translate;

import static org.assertj.core.api.Assertions.assertThat;

import io.inboard.mesh.controlplane.ResourceId;
import io.inboard.mesh.controlplane.internal.model.ParsedResource;
import io.inboard.mesh.security.internal.authz.PolicySource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Which AuthorizationPolicies and RequestAuthentications apply to a workload: Istio's rule for
 * these kinds, where a root-namespace selector reaches matching workloads of every namespace.
 */
class SecurityPoliciesTest {
  static final Map<String, String> CART = Map.of("app", "cart", "version", "v1");

  static ParsedResource authz(String namespace, String name, Map<String, String> selector) {
    return new ParsedResource.AuthorizationPolicy(
        new ResourceId("AuthorizationPolicy", namespace, name), selector,
        new PolicySource(namespace, name, Map.of("action", "DENY")), List.of());
  }

  static ParsedResource requestAuthn(String namespace, String name, Map<String, Object> spec) {
    return new ParsedResource.RequestAuthentication(
        new ResourceId("RequestAuthentication", namespace, name), Map.of(),
        new PolicySource(namespace, name, spec), List.of());
  }

  /** policy namespace, its selector, workload namespace, whether it applies to CART there. */
  static Stream<Arguments> scopes() {
    return Stream.of(
        Arguments.of("istio-system", Map.of(), "shop", true),
        Arguments.of("istio-system", Map.of(), "istio-system", true),
        Arguments.of("istio-system", Map.of("app", "cart"), "shop", true),
        Arguments.of("istio-system", Map.of("app", "cart"), "other", true),
        Arguments.of("istio-system", Map.of("app", "ratings"), "shop", false),
        Arguments.of("shop", Map.of(), "shop", true),
        Arguments.of("shop", Map.of(), "other", false),
        Arguments.of("shop", Map.of("app", "cart", "version", "v1"), "shop", true),
        Arguments.of("shop", Map.of("app", "cart", "version", "v2"), "shop", false),
        Arguments.of("shop", Map.of("app", "cart"), "other", false));
  }

  @ParameterizedTest(name = "{0} selector {1} → workload in {2}: {3}")
  @MethodSource("scopes")
  void appliesByNamespaceAndSelectorAsIstioDoes(String policyNamespace,
      Map<String, String> selector, String workloadNamespace, boolean applies) {
    SecurityPolicies policies = new SecurityPolicies(
        List.of(authz(policyNamespace, "p", selector)), "istio-system", uri -> Optional.empty());

    assertThat(policies.authorizationPolicies(workloadNamespace, CART))
        .extracting(PolicySource::id)
        .isEqualTo(applies ? List.of(policyNamespace + "/p") : List.of());
  }

  @Test
  void rootNamespaceIsTheOneConfigured() {
    SecurityPolicies policies = new SecurityPolicies(List.of(
        authz("istio-system", "now-ordinary", Map.of()), authz("mesh-root", "mesh", Map.of())),
        "mesh-root", uri -> Optional.empty());

    assertThat(policies.authorizationPolicies("shop", CART)).extracting(PolicySource::id)
        .containsExactly("mesh-root/mesh");
  }

  @Test
  void listsEveryApplyingPolicyOrderedByNamespaceThenName() {
    SecurityPolicies policies = new SecurityPolicies(List.of(
        authz("shop", "b", Map.of()), authz("shop", "a", Map.of("app", "cart")),
        authz("istio-system", "z", Map.of()), authz("other", "a", Map.of()),
        requestAuthn("shop", "jwt", Map.of())), "istio-system", uri -> Optional.empty());

    assertThat(policies.authorizationPolicies("shop", CART)).extracting(PolicySource::id)
        .containsExactly("istio-system/z", "shop/a", "shop/b");
    assertThat(policies.requestAuthentications("shop", CART)).extracting(PolicySource::id)
        .containsExactly("shop/jwt");
    assertThat(policies.requestAuthentications("other", CART)).isEmpty();
  }

  @Test
  void servesFetchedKeySetInlineAndLeavesRulesWithoutOneAsWritten() {
    Map<String, Object> spec = Map.of("jwtRules", List.of(
        Map.of("issuer", "a", "jwksUri", "http://127.0.0.1:1/fetched"),
        Map.of("issuer", "b", "jwksUri", "http://127.0.0.1:1/never-fetched"),
        Map.of("issuer", "c", "jwks", "{\"keys\": []}")));
    SecurityPolicies policies = new SecurityPolicies(List.of(requestAuthn("shop", "jwt", spec)),
        "istio-system", uri -> uri.endsWith("/fetched") ? Optional.of("{\"keys\": [1]}")
            : Optional.of("{\"keys\": [2]}").filter(k -> uri.endsWith("/c")));

    List<?> rules = (List<?>) policies.requestAuthentications("shop", CART).get(0).spec()
        .get("jwtRules");
    assertThat(rules.get(0)).isEqualTo(Map.of("issuer", "a",
        "jwksUri", "http://127.0.0.1:1/fetched", "jwks", "{\"keys\": [1]}"));
    assertThat(rules.get(1)).isEqualTo(spec.get("jwtRules") instanceof List<?> l ? l.get(1)
        : null);
    assertThat(rules.get(2)).isEqualTo(Map.of("issuer", "c", "jwks", "{\"keys\": []}"));
  }
}
