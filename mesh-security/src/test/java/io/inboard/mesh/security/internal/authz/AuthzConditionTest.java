package io.inboard.mesh.security.internal.authz;

import static io.inboard.mesh.security.internal.authz.TestPolicies.allowedBy;
import static io.inboard.mesh.security.internal.authz.TestRequest.jwt;
import static io.inboard.mesh.security.internal.authz.TestRequest.peer;
import static io.inboard.mesh.security.internal.authz.TestRequest.request;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code when[]}: every condition key, with {@code values} and {@code notValues}. */
class AuthzConditionTest {
  private static final TestRequest WITH_JWT = request().withJwt(jwt("https://idp", "alice", Map.of(
      "aud", List.of("api", "web"),
      "azp", "frontend",
      "groups", List.of("dev", "ops"),
      "level", 3L,
      "admin", true,
      "org", Map.of("team", Map.of("name", "payments"), "ids", List.of("a1", "b2")))));

  private static boolean allowed(String key, String values, AuthzRequest request) {
    return allowedBy("{when: [{key: '" + key + "', " + values + "}]}", request);
  }

  @Test
  void requestHeaders_matchTheHeaderWhateverTheCaseOfItsName() {
    TestRequest request = request().withHeader("x-user", "alice");
    assertThat(allowed("request.headers[X-User]", "values: [alice]", request)).isTrue();
    assertThat(allowed("request.headers[x-user]", "values: ['ali*']", request)).isTrue();
    assertThat(allowed("request.headers[x-user]", "values: [bob]", request)).isFalse();
    assertThat(allowed("request.headers[x-user]", "values: ['*']", request())).isFalse();
    assertThat(allowed("request.headers[x-user]", "notValues: [bob]", request)).isTrue();
    assertThat(allowed("request.headers[x-user]", "notValues: [alice]", request)).isFalse();
    assertThat(allowed("request.headers[x-user]", "notValues: ['*']", request())).isTrue();
  }

  @Test
  void valuesAndNotValues_areAnded() {
    String both = "values: ['a*'], notValues: [admin]";
    assertThat(allowed("request.headers[x-user]", both, request().withHeader("x-user", "alice"))).isTrue();
    assertThat(allowed("request.headers[x-user]", both, request().withHeader("x-user", "admin"))).isFalse();
  }

  @Test
  void conditions_areAnded() {
    String rule = "{when: [{key: 'request.headers[a]', values: ['1']}, {key: 'request.headers[b]', values: ['2']}]}";
    assertThat(allowedBy(rule, request().withHeader("a", "1").withHeader("b", "2"))).isTrue();
    assertThat(allowedBy(rule, request().withHeader("a", "1"))).isFalse();
  }

  @Test
  void sourceIp_matchesAddressesAndRanges() {
    assertThat(allowed("source.ip", "values: [10.0.0.0/16]", request().withSourceIp("10.0.3.4"))).isTrue();
    assertThat(allowed("source.ip", "values: [10.0.0.1]", request().withSourceIp("10.0.0.2"))).isFalse();
    assertThat(allowed("source.ip", "notValues: ['fd00::/8']", request().withSourceIp("fd00::1"))).isFalse();
  }

  @Test
  void remoteIp_readsTheForwardedFor() {
    TestRequest forwarded = request().withHeader("x-forwarded-for", "198.51.100.4");
    assertThat(allowed("remote.ip", "values: [198.51.100.0/24]", forwarded)).isTrue();
    assertThat(allowed("remote.ip", "values: [10.0.0.1]", forwarded)).isFalse();
    assertThat(allowed("remote.ip", "values: [10.0.0.1]", request())).isTrue();
  }

  @Test
  void destinationIpAndPort() {
    assertThat(allowed("destination.ip", "values: [10.0.0.2]", request())).isTrue();
    assertThat(allowed("destination.ip", "values: ['10.0.1.0/24']", request())).isFalse();
    assertThat(allowed("destination.port", "values: [8080]", request())).isTrue();
    assertThat(allowed("destination.port", "values: ['8080']", request())).isTrue();
    assertThat(allowed("destination.port", "notValues: [8080]", request())).isFalse();
  }

  @Test
  void sourceIdentityKeys() {
    TestRequest bar = peer("spiffe://td.example/ns/prod/sa/bar");
    assertThat(allowed("source.namespace", "values: [prod]", bar)).isTrue();
    assertThat(allowed("source.namespace", "values: [default]", bar)).isFalse();
    assertThat(allowed("source.principal", "values: [td.example/ns/prod/sa/bar]", bar)).isTrue();
    assertThat(allowed("source.principal", "values: ['*']", bar.plaintext())).isFalse();
    assertThat(allowed("source.serviceAccount", "values: [prod/bar]", bar)).isTrue();
    assertThat(allowed("source.serviceAccount", "values: [bar]", bar)).isFalse();
    assertThat(allowed("source.serviceAccount", "values: [client]", request())).isTrue();
    assertThat(allowed("source.serviceAccount", "values: [prod/baz]", bar)).isFalse();
    assertThat(allowed("source.trustDomain", "values: [td.example]", bar)).isTrue();
    assertThat(allowed("source.trustDomain", "notValues: [td.example]", bar)).isFalse();
  }

  @Test
  void connectionSni() {
    assertThat(allowed("connection.sni", "values: ['*.svc.cluster.local']",
        request().withSni("api.default.svc.cluster.local"))).isTrue();
    assertThat(allowed("connection.sni", "values: ['*']", request())).isFalse();
  }

  @Test
  void requestAuthPrincipalAudiencesPresenter() {
    assertThat(allowed("request.auth.principal", "values: [https://idp/alice]", WITH_JWT)).isTrue();
    assertThat(allowed("request.auth.principal", "values: ['*']", request())).isFalse();
    assertThat(allowed("request.auth.audiences", "values: [web]", WITH_JWT)).isTrue();
    assertThat(allowed("request.auth.audiences", "values: [mobile]", WITH_JWT)).isFalse();
    assertThat(allowed("request.auth.presenter", "values: [frontend]", WITH_JWT)).isTrue();
    assertThat(allowed("request.auth.presenter", "values: [backend]", WITH_JWT)).isFalse();
  }

  @Test
  void requestAuthClaims_stringsListsNumbersAndBooleans() {
    assertThat(allowed("request.auth.claims[groups]", "values: [ops]", WITH_JWT)).isTrue();
    assertThat(allowed("request.auth.claims[groups]", "values: [qa]", WITH_JWT)).isFalse();
    assertThat(allowed("request.auth.claims[groups]", "notValues: [dev]", WITH_JWT)).isFalse();
    assertThat(allowed("request.auth.claims[level]", "values: ['3']", WITH_JWT)).isTrue();
    assertThat(allowed("request.auth.claims[admin]", "values: ['true']", WITH_JWT)).isTrue();
    assertThat(allowed("request.auth.claims[azp]", "values: [frontend]", WITH_JWT)).isTrue();
    assertThat(allowed("request.auth.claims[missing]", "values: ['*']", WITH_JWT)).isFalse();
    assertThat(allowed("request.auth.claims[groups]", "values: ['*']", request())).isFalse();
  }

  @Test
  void requestAuthClaims_nested() {
    assertThat(allowed("request.auth.claims[org][team][name]", "values: [payments]", WITH_JWT)).isTrue();
    assertThat(allowed("request.auth.claims[org][team][name]", "values: [search]", WITH_JWT)).isFalse();
    assertThat(allowed("request.auth.claims[org][ids]", "values: [b2]", WITH_JWT)).isTrue();
    assertThat(allowed("request.auth.claims[org][team]", "values: ['*']", WITH_JWT)).isFalse();
    assertThat(allowed("request.auth.claims[groups][x]", "values: ['*']", WITH_JWT)).isFalse();
  }
}
