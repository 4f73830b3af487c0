package io.inboard.mesh.security.internal.jwt;

import static io.inboard.mesh.security.internal.jwt.JwtTestKeys.RSA;
import static io.inboard.mesh.security.internal.jwt.JwtTestKeys.jwks;
import static io.inboard.mesh.security.internal.jwt.JwtTestKeys.sign;
import static io.inboard.mesh.security.internal.jwt.JwtTestPolicies.compile;
import static io.inboard.mesh.security.internal.jwt.JwtTestPolicies.rule;
import static org.assertj.core.api.Assertions.assertThat;

import io.inboard.mesh.security.internal.jwt.JwtTestPolicies.MutableClock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where a token is looked for, and which header changes follow from where it was found. */
class JwtTokenLocationTest {
  private final MutableClock clock = new MutableClock();
  private final String token = sign(JwtVerificationTest.claims().build());

  private JwtOutcome.Authenticated authenticated(JwtOutcome outcome) {
    assertThat(outcome).isInstanceOf(JwtOutcome.Authenticated.class);
    return (JwtOutcome.Authenticated) outcome;
  }

  @Test
  void defaultLocation_authorizationBearer_isFoundAndRemoved() {
    JwtAuthenticator authenticator = compile(clock, rule(jwks(RSA)));

    JwtOutcome outcome = authenticator.authenticate(new JwtTestRequest().header("Authorization", "Bearer " + token));

    assertThat(authenticated(outcome).changes()).containsExactly(HeaderChange.remove("authorization"));
  }

  @Test
  void defaultLocation_accessTokenParam_isFoundAndLeftInPlace() {
    JwtAuthenticator authenticator = compile(clock, rule(jwks(RSA)));

    JwtOutcome outcome = authenticator.authenticate(new JwtTestRequest().param("access_token", token));

    assertThat(authenticated(outcome).changes()).isEmpty();
  }

  @Test
  void authorizationWithoutBearerPrefix_isNoToken() {
    JwtAuthenticator authenticator = compile(clock, rule(jwks(RSA)));

    assertThat(authenticator.authenticate(new JwtTestRequest().header("Authorization", token)))
        .isSameAs(JwtOutcome.NoToken.INSTANCE);
    assertThat(authenticator.authenticate(new JwtTestRequest().header("Authorization", "Basic " + token)))
        .isSameAs(JwtOutcome.NoToken.INSTANCE);
  }

  @Test
  void requestWithoutToken_isNoToken() {
    JwtAuthenticator authenticator = compile(clock, rule(jwks(RSA)));

    assertThat(authenticator.authenticate(new JwtTestRequest().header("x-other", "1")))
        .isSameAs(JwtOutcome.NoToken.INSTANCE);
  }

  @Test
  void customHeaderWithPrefix_isFoundAndRemovedByLowerCaseName() {
    Map<String, Object> rule = rule(jwks(RSA));
    rule.put("fromHeaders", List.of(Map.of("name", "X-Jwt-Assertion", "prefix", "Token ")));
    JwtAuthenticator authenticator = compile(clock, rule);

    JwtOutcome outcome = authenticator.authenticate(new JwtTestRequest().header("x-jwt-assertion", "Token " + token));

    assertThat(authenticated(outcome).changes()).containsExactly(HeaderChange.remove("x-jwt-assertion"));
    assertThat(authenticator.authenticate(new JwtTestRequest().header("x-jwt-assertion", token)))
        .isSameAs(JwtOutcome.NoToken.INSTANCE);
  }

  @Test
  void customLocations_replaceTheDefaults() {
    Map<String, Object> rule = rule(jwks(RSA));
    rule.put("fromParams", List.of("jwt"));
    JwtAuthenticator authenticator = compile(clock, rule);

    assertThat(authenticator.authenticate(new JwtTestRequest().param("jwt", token)))
        .isInstanceOf(JwtOutcome.Authenticated.class);
    assertThat(authenticator.authenticate(JwtTestRequest.bearer(token))).isSameAs(JwtOutcome.NoToken.INSTANCE);
    assertThat(authenticator.authenticate(new JwtTestRequest().param("access_token", token)))
        .isSameAs(JwtOutcome.NoToken.INSTANCE);
  }

  @Test
  void cookie_isFoundAndLeftInPlace() {
    Map<String, Object> rule = rule(jwks(RSA));
    rule.put("fromCookies", List.of("session-jwt"));
    JwtAuthenticator authenticator = compile(clock, rule);

    JwtOutcome outcome = authenticator.authenticate(new JwtTestRequest().cookie("session-jwt", token));

    assertThat(authenticated(outcome).changes()).isEmpty();
  }

  @Test
  void forwardOriginalToken_keepsTheHeader() {
    Map<String, Object> rule = rule(jwks(RSA));
    rule.put("forwardOriginalToken", true);

    JwtOutcome outcome = compile(clock, rule).authenticate(JwtTestRequest.bearer(token));

    assertThat(authenticated(outcome).changes()).isEmpty();
  }

  @Test
  void outputPayloadToHeader_setsThePayloadSegmentAsSent() {
    Map<String, Object> rule = rule(jwks(RSA));
    rule.put("outputPayloadToHeader", "X-Jwt-Payload");

    JwtOutcome outcome = compile(clock, rule).authenticate(JwtTestRequest.bearer(token));

    assertThat(authenticated(outcome).changes()).containsExactly(
        HeaderChange.remove("authorization"),
        HeaderChange.set("x-jwt-payload", token.split("\\.")[1]));
  }

  @Test
  void outputClaimToHeaders_setsStringNestedNumberAndBooleanClaims() {
    Map<String, Object> rule = rule(jwks(RSA));
    rule.put("forwardOriginalToken", true);
    rule.put("outputClaimToHeaders", List.of(
        Map.of("header", "x-sub", "claim", "sub"),
        Map.of("header", "x-team", "claim", "org.team"),
        Map.of("header", "x-level", "claim", "level"),
        Map.of("header", "x-admin", "claim", "admin"),
        Map.of("header", "x-groups", "claim", "groups"),
        Map.of("header", "x-missing", "claim", "missing"),
        Map.of("header", "x-org", "claim", "org")));
    String token = sign(JwtVerificationTest.claims()
        .claim("org", Map.of("team", "payments"))
        .claim("level", 7)
        .claim("admin", true)
        .claim("groups", List.of("a", "b"))
        .build());

    JwtOutcome outcome = compile(clock, rule).authenticate(JwtTestRequest.bearer(token));

    assertThat(authenticated(outcome).changes()).containsExactly(
        HeaderChange.set("x-sub", "alice"),
        HeaderChange.set("x-team", "payments"),
        HeaderChange.set("x-level", "7"),
        HeaderChange.set("x-admin", "true"));
  }

  @Test
  void claimWithLineBreak_setsNoHeader() {
    Map<String, Object> rule = rule(jwks(RSA));
    rule.put("forwardOriginalToken", true);
    rule.put("outputClaimToHeaders", List.of(Map.of("header", "x-name", "claim", "name")));
    String token = sign(JwtVerificationTest.claims().claim("name", "a\r\nx-injected: 1").build());

    assertThat(authenticated(compile(clock, rule).authenticate(JwtTestRequest.bearer(token))).changes()).isEmpty();
  }

  @Test
  void tokenOfIssuerWhoseRuleListsAnotherLocation_isRejectedAsUnknownIssuer() {
    // Envoy ties each location to the issuers whose rules list it.
    Map<String, Object> headerRule = rule(jwks(RSA));
    headerRule.put("issuer", "https://header-only.example.com");
    Map<String, Object> paramRule = rule(jwks(RSA));
    paramRule.put("fromParams", List.of("token"));
    JwtAuthenticator authenticator = compile(clock, headerRule, paramRule);

    assertThat(authenticator.authenticate(JwtTestRequest.bearer(token)))
        .isEqualTo(new JwtOutcome.Rejected("Jwt issuer is not configured"));
    assertThat(authenticator.authenticate(new JwtTestRequest().param("token", token)))
        .isInstanceOf(JwtOutcome.Authenticated.class);
  }
}
