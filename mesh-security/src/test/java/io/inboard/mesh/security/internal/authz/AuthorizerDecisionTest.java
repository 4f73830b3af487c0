package io.inboard.mesh.security.internal.authz;

import static io.inboard.mesh.security.internal.authz.TestPolicies.authorizer;
import static io.inboard.mesh.security.internal.authz.TestPolicies.policy;
import static io.inboard.mesh.security.internal.authz.TestRequest.path;
import static io.inboard.mesh.security.internal.authz.TestRequest.request;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The order of actions and the special policies: Istio's evaluation, policy by policy. */
class AuthorizerDecisionTest {

  @Test
  void noPolicy_allowsEverything() {
    Authorizer none = Authorizer.compile(List.of());
    assertThat(none.isEmpty()).isTrue();
    assertThat(none.decide(request())).isEqualTo(AuthzDecision.ALLOW_NO_POLICY);
    assertThat(Authorizer.NONE.decide(request()).allowed()).isTrue();
    assertThat(Authorizer.NONE.isEmpty()).isTrue();
  }

  @Test
  void allowNothing_emptySpecDeniesEverything() {
    Authorizer authorizer = authorizer("{}");
    assertThat(authorizer.isEmpty()).isFalse();
    assertThat(authorizer.decide(request())).isEqualTo(new AuthzDecision(false, "", List.of()));
  }

  @Test
  void allowAll_emptyRuleAllowsEverythingNamingThePolicy() {
    assertThat(authorizer("rules: [{}]").decide(request()))
        .isEqualTo(new AuthzDecision(true, "default/p0", List.of()));
  }

  @Test
  void denyAll_emptyRuleDeniesEverything() {
    Authorizer authorizer = authorizer("{action: DENY, rules: [{}]}", "rules: [{}]");
    assertThat(authorizer.decide(request()))
        .isEqualTo(new AuthzDecision(false, "default/p0", List.of()));
  }

  @Test
  void denyWithoutRules_matchesNothing() {
    Authorizer authorizer = authorizer("action: DENY");
    assertThat(authorizer.decide(request())).isEqualTo(AuthzDecision.ALLOW_NO_POLICY);
  }

  @Test
  void onlyDenyPolicies_allowWhatTheyDoNotMatch() {
    Authorizer authorizer = authorizer("{action: DENY, rules: [{to: [{operation: {paths: [/admin]}}]}]}");
    assertThat(authorizer.decide(path("/admin")))
        .isEqualTo(new AuthzDecision(false, "default/p0", List.of()));
    assertThat(authorizer.decide(path("/public"))).isEqualTo(AuthzDecision.ALLOW_NO_POLICY);
  }

  @Test
  void deny_winsOverAMatchingAllow() {
    Authorizer authorizer = authorizer(
        "rules: [{to: [{operation: {paths: ['/*']}}]}]",
        "{action: DENY, rules: [{to: [{operation: {paths: [/admin]}}]}]}");
    assertThat(authorizer.decide(path("/admin")).policy()).isEqualTo("default/p1");
    assertThat(authorizer.decide(path("/admin")).allowed()).isFalse();
    assertThat(authorizer.decide(path("/home"))).isEqualTo(new AuthzDecision(true, "default/p0", List.of()));
  }

  @Test
  void allow_deniesWhenNoAllowPolicyMatches() {
    Authorizer authorizer = authorizer(
        "rules: [{to: [{operation: {methods: [GET]}}]}]",
        "rules: [{to: [{operation: {paths: [/upload]}}]}]");
    assertThat(authorizer.decide(request().withMethod("POST")))
        .isEqualTo(new AuthzDecision(false, "", List.of()));
    assertThat(authorizer.decide(request().withMethod("POST").withPath("/upload")).policy())
        .isEqualTo("default/p1");
  }

  @Test
  void audit_isRecordedAndNeverChangesTheDecision() {
    Authorizer authorizer = authorizer(
        "{action: AUDIT, rules: [{to: [{operation: {paths: ['/audited*']}}]}]}",
        "{action: AUDIT, rules: [{}]}",
        "{action: DENY, rules: [{to: [{operation: {paths: [/audited/denied]}}]}]}");
    assertThat(authorizer.decide(path("/audited")))
        .isEqualTo(new AuthzDecision(true, "", List.of("default/p0", "default/p1")));
    assertThat(authorizer.decide(path("/audited/denied")))
        .isEqualTo(new AuthzDecision(false, "default/p2", List.of("default/p0", "default/p1")));
    assertThat(authorizer.decide(path("/other")))
        .isEqualTo(new AuthzDecision(true, "", List.of("default/p1")));
  }

  @Test
  void auditOnly_doesNotMakeAnAllowNothing() {
    assertThat(authorizer("{action: AUDIT, rules: [{}]}").decide(request()).allowed()).isTrue();
  }

  @Test
  void custom_deniesWhatItMatchesAndWarns() {
    Authorizer authorizer = authorizer(
        "{action: CUSTOM, provider: {name: ext-authz}, rules: [{to: [{operation: {paths: ['/ext/*']}}]}]}",
        "rules: [{}]");
    assertThat(authorizer.decide(path("/ext/a")))
        .isEqualTo(new AuthzDecision(false, "default/p0", List.of()));
    assertThat(authorizer.decide(path("/other")).allowed()).isTrue();
    assertThat(authorizer.warnings()).containsExactly("default/p0: action CUSTOM (provider 'ext-authz')"
        + " is not supported by Inboard; requests it matches are denied");
  }

  @Test
  void custom_isDecidedBeforeDeny() {
    Authorizer authorizer = authorizer("{action: DENY, rules: [{}]}",
        "{action: CUSTOM, provider: {name: opa}, rules: [{}]}");
    assertThat(authorizer.decide(request()).policy()).isEqualTo("default/p1");
  }

  @Test
  void experimentalKey_failsClosedInDeny() {
    Authorizer authorizer = authorizer("{action: DENY, rules: [{when: [{key: 'experimental.envoy.filters"
        + ".network.mysql_proxy[db.table]', values: [select]}]}]}");
    assertThat(authorizer.decide(request()).allowed()).isFalse();
    assertThat(authorizer.warnings()).singleElement().asString()
        .startsWith("default/p0: spec.rules[0].when[0].key: 'experimental.envoy.filters.network")
        .endsWith("treated as matching (fail closed)");
  }

  @Test
  void experimentalKey_doesNotMatchInAllow() {
    Authorizer authorizer = authorizer("rules: [{when: [{key: 'experimental.envoy.filters.a.b[c]',"
        + " notValues: [x]}]}]");
    assertThat(authorizer.decide(request()).allowed()).isFalse();
    assertThat(authorizer.warnings()).singleElement().asString().endsWith("treated as not matching");
  }

  @Test
  void decisionsAreSharedInstances() {
    Authorizer authorizer = authorizer("rules: [{}]");
    assertThat(authorizer.decide(request())).isSameAs(authorizer.decide(path("/x")));
  }

  @Test
  void decisionNamesTheSamePolicyWhateverTheOrderGiven() {
    PolicySource a = policy("a", "{action: DENY, rules: [{}]}");
    PolicySource b = policy("b", "{action: DENY, rules: [{}]}");
    assertThat(Authorizer.compile(List.of(b, a)).decide(request()).policy()).isEqualTo("default/a");
    assertThat(Authorizer.compile(List.of(a, b)).decide(request()).policy()).isEqualTo("default/a");
  }

  @Test
  void selectorAndTargetRefs_areIgnored() {
    Authorizer authorizer = authorizer("{selector: {matchLabels: {app: x}}, targetRef: {kind: Service,"
        + " name: x}, targetRefs: [{kind: Service, name: y}], rules: [{}]}");
    assertThat(authorizer.decide(request()).allowed()).isTrue();
  }
}
