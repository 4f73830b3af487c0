package io.inboard.mesh.security.internal.authz;

import static io.inboard.mesh.security.internal.authz.TestPolicies.allowedBy;
import static io.inboard.mesh.security.internal.authz.TestRequest.jwt;
import static io.inboard.mesh.security.internal.authz.TestRequest.peer;
import static io.inboard.mesh.security.internal.authz.TestRequest.request;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code from[].source}: every field and its {@code notX} form. */
class AuthzSourceTest {
  private static final String FOO = "spiffe://cluster.local/ns/default/sa/foo";
  private static final String BAR_IN_PROD = "spiffe://cluster.local/ns/prod/sa/bar";
  private static final String OTHER_DOMAIN = "spiffe://example.org/ns/prod/sa/bar";

  private static boolean allowed(String source, AuthzRequest request) {
    return allowedBy("{from: [{source: " + source + "}]}", request);
  }

  @Test
  void principals_matchTheSpiffeIdWithoutItsScheme() {
    String rule = "{principals: [cluster.local/ns/default/sa/foo]}";
    assertThat(allowed(rule, peer(FOO))).isTrue();
    assertThat(allowed(rule, peer(BAR_IN_PROD))).isFalse();
    assertThat(allowed("{principals: [spiffe://cluster.local/ns/default/sa/foo]}", peer(FOO))).isFalse();
  }

  @Test
  void principals_wildcardsArePrefixSuffixAndPresence() {
    assertThat(allowed("{principals: ['cluster.local/ns/prod/*']}", peer(BAR_IN_PROD))).isTrue();
    assertThat(allowed("{principals: ['cluster.local/ns/prod/*']}", peer(FOO))).isFalse();
    assertThat(allowed("{principals: ['*/sa/foo']}", peer(FOO))).isTrue();
    assertThat(allowed("{principals: ['*/sa/foo']}", peer(BAR_IN_PROD))).isFalse();
    assertThat(allowed("{principals: ['*']}", peer(FOO))).isTrue();
  }

  @Test
  void principalsPresence_doesNotMatchAPlaintextPeer() {
    assertThat(allowed("{principals: ['*']}", request().plaintext())).isFalse();
    assertThat(allowed("{notPrincipals: ['*']}", request().plaintext())).isTrue();
    assertThat(allowed("{notPrincipals: ['*']}", peer(FOO))).isFalse();
  }

  @Test
  void principals_valuesAreOred() {
    String rule = "{principals: [cluster.local/ns/default/sa/foo, cluster.local/ns/prod/sa/bar]}";
    assertThat(allowed(rule, peer(FOO))).isTrue();
    assertThat(allowed(rule, peer(BAR_IN_PROD))).isTrue();
    assertThat(allowed(rule, peer(OTHER_DOMAIN))).isFalse();
  }

  @Test
  void notPrincipals_excludeAnyListedValue() {
    String rule = "{notPrincipals: [cluster.local/ns/default/sa/foo, 'example.org/*']}";
    assertThat(allowed(rule, peer(FOO))).isFalse();
    assertThat(allowed(rule, peer(OTHER_DOMAIN))).isFalse();
    assertThat(allowed(rule, peer(BAR_IN_PROD))).isTrue();
  }

  @Test
  void requestPrincipals_matchIssuerSlashSubject() {
    TestRequest withJwt = request().withJwt(jwt("https://issuer.example", "alice", Map.of()));
    assertThat(allowed("{requestPrincipals: [https://issuer.example/alice]}", withJwt)).isTrue();
    assertThat(allowed("{requestPrincipals: ['https://issuer.example/*']}", withJwt)).isTrue();
    assertThat(allowed("{requestPrincipals: [https://issuer.example/bob]}", withJwt)).isFalse();
    assertThat(allowed("{requestPrincipals: ['*']}", request())).isFalse();
  }

  @Test
  void notRequestPrincipals_matchARequestWithoutToken() {
    TestRequest withJwt = request().withJwt(jwt("iss", "alice", Map.of()));
    assertThat(allowed("{notRequestPrincipals: ['*']}", request())).isTrue();
    assertThat(allowed("{notRequestPrincipals: ['*']}", withJwt)).isFalse();
    assertThat(allowed("{notRequestPrincipals: [iss/bob]}", withJwt)).isTrue();
  }

  @Test
  void namespaces_matchTheNamespaceOfThePeer() {
    assertThat(allowed("{namespaces: [prod]}", peer(BAR_IN_PROD))).isTrue();
    assertThat(allowed("{namespaces: [prod]}", peer(FOO))).isFalse();
    assertThat(allowed("{namespaces: ['pro*']}", peer(BAR_IN_PROD))).isTrue();
    assertThat(allowed("{namespaces: ['*od']}", peer(BAR_IN_PROD))).isTrue();
    assertThat(allowed("{namespaces: ['*']}", request().plaintext())).isFalse();
    assertThat(allowed("{namespaces: [sa]}", peer("spiffe://cluster.local/ns/x/sa/sa"))).isFalse();
  }

  @Test
  void notNamespaces_excludeTheNamespace() {
    assertThat(allowed("{notNamespaces: [prod]}", peer(BAR_IN_PROD))).isFalse();
    assertThat(allowed("{notNamespaces: [prod]}", peer(FOO))).isTrue();
    assertThat(allowed("{notNamespaces: [prod]}", request().plaintext())).isTrue();
  }

  @Test
  void serviceAccounts_matchNamespaceSlashAccountExactly() {
    assertThat(allowed("{serviceAccounts: [default/foo]}", peer(FOO))).isTrue();
    assertThat(allowed("{serviceAccounts: [default/foo]}", peer(BAR_IN_PROD))).isFalse();
    assertThat(allowed("{serviceAccounts: [default/fo]}", peer(FOO))).isFalse();
    assertThat(allowed("{serviceAccounts: [default/foo]}", peer(FOO + "x"))).isFalse();
    assertThat(allowed("{serviceAccounts: [default/foo]}", request().plaintext())).isFalse();
  }

  @Test
  void serviceAccounts_withoutNamespaceAreInThePolicysNamespace() {
    assertThat(allowed("{serviceAccounts: [foo]}", peer(FOO))).isTrue();
    assertThat(allowed("{serviceAccounts: [bar]}", peer(BAR_IN_PROD))).isFalse();
  }

  @Test
  void notServiceAccounts_excludeTheAccount() {
    assertThat(allowed("{notServiceAccounts: [default/foo]}", peer(FOO))).isFalse();
    assertThat(allowed("{notServiceAccounts: [default/foo]}", peer(BAR_IN_PROD))).isTrue();
  }

  @Test
  void trustDomains_matchTheTrustDomain() {
    assertThat(allowed("{trustDomains: [cluster.local]}", peer(FOO))).isTrue();
    assertThat(allowed("{trustDomains: [cluster.local]}", peer(OTHER_DOMAIN))).isFalse();
    assertThat(allowed("{trustDomains: ['*.org']}", peer(OTHER_DOMAIN))).isTrue();
    assertThat(allowed("{notTrustDomains: [cluster.local]}", peer(FOO))).isFalse();
    assertThat(allowed("{notTrustDomains: [cluster.local]}", peer(OTHER_DOMAIN))).isTrue();
  }

  @Test
  void ipBlocks_matchTheSourceAddressInIpv4AndIpv6Ranges() {
    assertThat(allowed("{ipBlocks: [10.0.0.0/8]}", request().withSourceIp("10.1.2.3"))).isTrue();
    assertThat(allowed("{ipBlocks: [10.0.0.0/8]}", request().withSourceIp("11.1.2.3"))).isFalse();
    assertThat(allowed("{ipBlocks: [192.168.1.7]}", request().withSourceIp("192.168.1.7"))).isTrue();
    assertThat(allowed("{ipBlocks: [192.168.1.7]}", request().withSourceIp("192.168.1.8"))).isFalse();
    assertThat(allowed("{ipBlocks: [10.0.0.0/13]}", request().withSourceIp("10.7.255.255"))).isTrue();
    assertThat(allowed("{ipBlocks: [10.0.0.0/13]}", request().withSourceIp("10.8.0.0"))).isFalse();
    assertThat(allowed("{ipBlocks: ['2001:db8::/32']}", request().withSourceIp("2001:db8:1::5"))).isTrue();
    assertThat(allowed("{ipBlocks: ['2001:db8::/32']}", request().withSourceIp("2001:db9::5"))).isFalse();
    assertThat(allowed("{ipBlocks: ['2001:db8::/32']}", request().withSourceIp("10.0.0.1"))).isFalse();
    assertThat(allowed("{ipBlocks: [0.0.0.0/0]}", request().withSourceIp("8.8.8.8"))).isTrue();
  }

  @Test
  void notIpBlocks_excludeTheRange() {
    assertThat(allowed("{notIpBlocks: [10.0.0.0/8]}", request().withSourceIp("10.1.2.3"))).isFalse();
    assertThat(allowed("{notIpBlocks: [10.0.0.0/8]}", request().withSourceIp("172.16.0.1"))).isTrue();
  }

  @Test
  void remoteIpBlocks_matchTheRightMostForwardedForAddress() {
    TestRequest forwarded = request().withSourceIp("10.0.0.9")
        .withHeader("x-forwarded-for", "1.1.1.1, 203.0.113.7");
    assertThat(allowed("{remoteIpBlocks: [203.0.113.0/24]}", forwarded)).isTrue();
    assertThat(allowed("{remoteIpBlocks: [1.1.1.1]}", forwarded)).isFalse();
    assertThat(allowed("{remoteIpBlocks: [10.0.0.9]}", forwarded)).isFalse();
    assertThat(allowed("{notRemoteIpBlocks: [203.0.113.0/24]}", forwarded)).isFalse();
    assertThat(allowed("{remoteIpBlocks: ['2001:db8::/32']}",
        request().withHeader("x-forwarded-for", "2001:db8::1"))).isTrue();
  }

  @Test
  void remoteIpBlocks_fallBackToThePeerWithoutAParseableForwardedFor() {
    assertThat(allowed("{remoteIpBlocks: [10.0.0.9]}", request().withSourceIp("10.0.0.9"))).isTrue();
    assertThat(allowed("{remoteIpBlocks: [10.0.0.9]}", request().withSourceIp("10.0.0.9")
        .withHeader("x-forwarded-for", "1.1.1.1, evil.example"))).isTrue();
  }

  @Test
  void sourceFields_areAnded() {
    String rule = "{principals: ['*'], ipBlocks: [10.0.0.0/8], notNamespaces: [prod]}";
    assertThat(allowed(rule, peer(FOO))).isTrue();
    assertThat(allowed(rule, peer(BAR_IN_PROD))).isFalse();
    assertThat(allowed(rule, peer(FOO).withSourceIp("192.168.0.1"))).isFalse();
  }

  @Test
  void fromEntries_areOred() {
    String rule = "{from: [{source: {namespaces: [prod]}}, {source: {ipBlocks: [192.168.0.0/16]}}]}";
    assertThat(allowedBy(rule, peer(BAR_IN_PROD))).isTrue();
    assertThat(allowedBy(rule, peer(FOO).withSourceIp("192.168.3.4"))).isTrue();
    assertThat(allowedBy(rule, peer(FOO))).isFalse();
  }
}
