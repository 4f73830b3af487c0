package io.inboard.mesh.security.internal.jwt;

import static io.inboard.mesh.security.internal.jwt.JwtTestKeys.RSA;
import static io.inboard.mesh.security.internal.jwt.JwtTestKeys.jwks;
import static io.inboard.mesh.security.internal.jwt.JwtTestPolicies.policy;
import static io.inboard.mesh.security.internal.jwt.JwtTestPolicies.rule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.inboard.mesh.security.internal.authz.PolicyException;
import io.inboard.mesh.security.internal.authz.PolicySource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A RequestAuthentication that cannot be enforced is refused, naming the resource and field. */
class JwtPolicyErrorsTest {

  private static final Map<String, Object> VALID_RULE = rule(jwks(RSA));

  /** The error for {@code rule}, placed second so that paths are seen to carry its index. */
  private static PolicyException compileError(Map<String, Object> rule) {
    return compileError(policy(VALID_RULE, rule));
  }

  private static PolicyException compileError(PolicySource source) {
    return catchThrowableOfType(PolicyException.class, () -> JwtAuthenticator.compile(List.of(source)));
  }

  @Test
  void invalidInlineJwks_isRefused() {
    PolicyException e = compileError(rule("{not json"));

    assertThat(e.resource()).isEqualTo("ns/req-auth");
    assertThat(e.field()).isEqualTo("spec.jwtRules[1].jwks");
    assertThat(e.detail()).contains("(expected: a JSON Web Key Set");
  }

  @Test
  void jwksWithoutKeysMember_isRefused() {
    PolicyException e = compileError(rule("{\"kty\":\"RSA\"}"));

    assertThat(e.field()).isEqualTo("spec.jwtRules[1].jwks");
    assertThat(e.detail()).contains("keys").contains("(expected: a JSON Web Key Set");
  }

  @Test
  void jwksUriThatIsNotAnHttpUrl_isRefused() {
    for (String uri : List.of("not a url", "/relative/jwks.json", "ftp://example.com/jwks", "https:///no-host")) {
      Map<String, Object> rule = rule(null);
      rule.remove("jwks");
      rule.put("jwksUri", uri);

      PolicyException e = compileError(rule);

      assertThat(e.field()).as(uri).isEqualTo("spec.jwtRules[1].jwksUri");
      assertThat(e.detail()).as(uri).contains("expected: an absolute http or https URL");
    }
  }

  @Test
  void missingIssuer_isRefused() {
    Map<String, Object> rule = rule(jwks(RSA));
    rule.remove("issuer");

    PolicyException e = compileError(rule);

    assertThat(e.field()).isEqualTo("spec.jwtRules[1].issuer");
    assertThat(e.detail()).startsWith("missing (expected: the issuer");
  }

  @Test
  void unknownRuleField_isRefusedByName() {
    Map<String, Object> rule = rule(jwks(RSA));
    rule.put("audience", List.of("bookinfo"));

    PolicyException e = compileError(rule);

    assertThat(e.field()).isEqualTo("spec.jwtRules[1].audience");
    assertThat(e.detail()).startsWith("unknown field (expected one of:").contains("audiences");
  }

  @Test
  void unknownSpecField_isRefusedAndSelectorIsIgnored() {
    PolicyException e = compileError(new PolicySource("ns", "req-auth",
        Map.of("selector", Map.of("matchLabels", Map.of("app", "x")), "rules", List.of())));

    assertThat(e.field()).isEqualTo("spec.rules");
  }

  @Test
  void ruleWithNeitherJwksNorJwksUri_isRefused() {
    Map<String, Object> rule = rule(null);
    rule.remove("jwks");

    PolicyException e = compileError(rule);

    assertThat(e.field()).isEqualTo("spec.jwtRules[1].jwks");
    assertThat(e.detail()).contains("jwksUri").contains("expected: one of them").contains("not supported");
  }

  @Test
  void invalidHeaderNames_areRefused() {
    Map<String, Object> payload = rule(jwks(RSA));
    payload.put("outputPayloadToHeader", "x payload");
    Map<String, Object> claim = rule(jwks(RSA));
    claim.put("outputClaimToHeaders", List.of(Map.of("header", "x:sub", "claim", "sub")));
    Map<String, Object> from = rule(jwks(RSA));
    from.put("fromHeaders", List.of(Map.of("name", "")));

    assertThat(compileError(payload).field()).isEqualTo("spec.jwtRules[1].outputPayloadToHeader");
    assertThat(compileError(claim).field()).isEqualTo("spec.jwtRules[1].outputClaimToHeaders[0].header");
    assertThat(compileError(claim).detail()).contains("'x:sub'").contains("expected: a header name");
    assertThat(compileError(from).field()).isEqualTo("spec.jwtRules[1].fromHeaders[0].name");
  }

  @Test
  void badTimeoutAndWrongTypes_areRefused() {
    Map<String, Object> timeout = rule(jwks(RSA));
    timeout.put("timeout", "five seconds");
    Map<String, Object> forward = rule(jwks(RSA));
    forward.put("forwardOriginalToken", "yes");
    Map<String, Object> audiences = rule(jwks(RSA));
    audiences.put("audiences", "bookinfo");

    assertThat(compileError(timeout).detail()).isEqualTo("'five seconds' (expected: a duration such as 5s or 1.5s)");
    assertThat(compileError(forward).detail()).isEqualTo("'yes' (expected: true or false)");
    assertThat(compileError(audiences).detail()).isEqualTo("'bookinfo' (expected: a list)");
  }

  @Test
  void validTimeoutAndSpaceDelimitedClaims_compile() {
    Map<String, Object> rule = rule(jwks(RSA));
    rule.put("timeout", "5s");
    rule.put("spaceDelimitedClaims", List.of("roles"));

    assertThat(JwtAuthenticator.compile(List.of(policy(rule))).isEmpty()).isFalse();
  }
}
