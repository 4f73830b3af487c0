package io.inboard.mesh.security.internal.jwt;

import static io.inboard.mesh.security.internal.jwt.JwtTestKeys.EC;
import static io.inboard.mesh.security.internal.jwt.JwtTestKeys.HMAC;
import static io.inboard.mesh.security.internal.jwt.JwtTestKeys.OTHER_RSA;
import static io.inboard.mesh.security.internal.jwt.JwtTestKeys.RSA;
import static io.inboard.mesh.security.internal.jwt.JwtTestKeys.jwks;
import static io.inboard.mesh.security.internal.jwt.JwtTestKeys.sign;
import static io.inboard.mesh.security.internal.jwt.JwtTestPolicies.ISSUER;
import static io.inboard.mesh.security.internal.jwt.JwtTestPolicies.NOW;
import static io.inboard.mesh.security.internal.jwt.JwtTestPolicies.compile;
import static io.inboard.mesh.security.internal.jwt.JwtTestPolicies.rule;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import io.inboard.mesh.security.internal.authz.PolicySource;
import io.inboard.mesh.security.internal.authz.RequestAuth;
import io.inboard.mesh.security.internal.jwt.JwtTestPolicies.MutableClock;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What a token's signature, issuer, lifetime and audiences make of a request. */
class JwtVerificationTest {
  private final MutableClock clock = new MutableClock();

  static JWTClaimsSet.Builder claims() {
    return new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .subject("alice")
        .audience("bookinfo")
        .issueTime(Date.from(NOW))
        .expirationTime(Date.from(NOW.plusSeconds(3600)));
  }

  private JwtOutcome authenticate(Map<String, Object> rule, String token) {
    return compile(clock, rule).authenticate(JwtTestRequest.bearer(token));
  }

  @Test
  void validToken_givesPrincipalAudiencesAndClaims() {
    String token = sign(claims()
        .audience(List.of("bookinfo", "reviews"))
        .claim("azp", "web-app")
        .claim("groups", List.of("admins", "dev"))
        .claim("nested", Map.of("key", "value", "level", 3L))
        .claim("scope", "read  write")
        .claim("permission", "delete")
        .build());

    JwtOutcome outcome = authenticate(rule(jwks(RSA)), token);

    assertThat(outcome).isInstanceOf(JwtOutcome.Authenticated.class);
    RequestAuth auth = ((JwtOutcome.Authenticated) outcome).auth();
    assertThat(auth.principal()).isEqualTo(ISSUER + "/alice");
    assertThat(auth.issuer()).isEqualTo(ISSUER);
    assertThat(auth.subject()).isEqualTo("alice");
    assertThat(auth.audiences()).containsExactly("bookinfo", "reviews");
    assertThat(auth.presenter()).isEqualTo("web-app");
    assertThat(auth.claims())
        .containsEntry("groups", List.of("admins", "dev"))
        .containsEntry("nested", Map.of("key", "value", "level", 3L))
        .containsEntry("scope", List.of("read", "write"))
        .containsEntry("permission", List.of("delete"))
        .containsEntry("sub", "alice")
        .containsEntry("exp", NOW.getEpochSecond() + 3600);
  }

  @Test
  void tokenWithoutSubjectOrPresenter_givesEmptyOnes() {
    String token = sign(claims().subject(null).build());

    RequestAuth auth = ((JwtOutcome.Authenticated) authenticate(rule(jwks(RSA)), token)).auth();

    assertThat(auth.subject()).isEmpty();
    assertThat(auth.presenter()).isEmpty();
    assertThat(auth.principal()).isEqualTo(ISSUER + "/");
  }

  @Test
  void spaceDelimitedClaims_areSplitBesidesScope() {
    Map<String, Object> rule = rule(jwks(RSA));
    rule.put("spaceDelimitedClaims", List.of("roles"));
    String token = sign(claims().claim("roles", "a b").claim("other", "c d").build());

    RequestAuth auth = ((JwtOutcome.Authenticated) authenticate(rule, token)).auth();

    assertThat(auth.claims())
        .containsEntry("roles", List.of("a", "b"))
        .containsEntry("other", "c d");
  }

  static List<Object[]> signingKeys() {
    return List.of(
        new Object[] {RSA, JWSAlgorithm.RS256},
        new Object[] {RSA, JWSAlgorithm.RS512},
        new Object[] {RSA, JWSAlgorithm.PS256},
        new Object[] {EC, JWSAlgorithm.ES256},
        new Object[] {HMAC, JWSAlgorithm.HS256});
  }

  @ParameterizedTest
  @MethodSource("signingKeys")
  void signatureOfEachKeyType_isVerified(JWK key, JWSAlgorithm alg) {
    // An oct key has no public part: its JWKS carries the secret itself.
    String jwks = key == HMAC ? new JWKSet(HMAC).toString(false) : jwks(key);

    assertThat(authenticate(rule(jwks), sign(key, alg, claims().build())))
        .isInstanceOf(JwtOutcome.Authenticated.class);
  }

  @Test
  void ed25519Signature_isVerifiedWithTheJdksEdDsa() throws Exception {
    KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    byte[] spki = pair.getPublic().getEncoded();
    byte[] x = Arrays.copyOfRange(spki, spki.length - 32, spki.length);
    String jwks = new JWKSet(new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(x)).keyID("ed-1").build())
        .toString();
    String signingInput = Base64URL.encode("{\"alg\":\"EdDSA\",\"kid\":\"ed-1\"}") + "."
        + Base64URL.encode(claims().build().toString());
    Signature signer = Signature.getInstance("Ed25519");
    signer.initSign(pair.getPrivate());
    signer.update(signingInput.getBytes(StandardCharsets.US_ASCII));
    String token = signingInput + "." + Base64URL.encode(signer.sign());
    String forged = signingInput + "." + Base64URL.encode(new byte[64]);

    assertThat(authenticate(rule(jwks), token)).isInstanceOf(JwtOutcome.Authenticated.class);
    assertThat(authenticate(rule(jwks), forged)).isEqualTo(new JwtOutcome.Rejected("Jwt verification fails"));
  }

  @Test
  void expiredToken_isRejectedAsExpired() {
    String token = sign(claims().expirationTime(Date.from(NOW.minusSeconds(61))).build());

    assertThat(authenticate(rule(jwks(RSA)), token)).isEqualTo(new JwtOutcome.Rejected("Jwt is expired"));
  }

  @Test
  void tokenExpiredWithinClockSkew_isAccepted() {
    String token = sign(claims().expirationTime(Date.from(NOW.minusSeconds(30))).build());

    assertThat(authenticate(rule(jwks(RSA)), token)).isInstanceOf(JwtOutcome.Authenticated.class);
  }

  @Test
  void tokenBeforeNotBefore_isRejectedAsNotYetValid() {
    String token = sign(claims().notBeforeTime(Date.from(NOW.plusSeconds(120))).build());

    assertThat(authenticate(rule(jwks(RSA)), token)).isEqualTo(new JwtOutcome.Rejected("Jwt not yet valid"));
  }

  @Test
  void tokenSignedByAnotherKey_isRejected() {
    String forged = sign(OTHER_RSA, JWSAlgorithm.RS256, claims().build());

    assertThat(authenticate(rule(jwks(RSA)), forged)).isEqualTo(new JwtOutcome.Rejected("Jwt verification fails"));
  }

  @Test
  void tokenWithTamperedPayload_isRejected() {
    String[] parts = sign(claims().build()).split("\\.");
    String otherPayload = sign(claims().subject("mallory").build()).split("\\.")[1];

    assertThat(authenticate(rule(jwks(RSA)), parts[0] + "." + otherPayload + "." + parts[2]))
        .isEqualTo(new JwtOutcome.Rejected("Jwt verification fails"));
  }

  @Test
  void unsignedToken_isRejected() {
    String payload = sign(claims().build()).split("\\.")[1];
    String none = Base64.getUrlEncoder().withoutPadding()
        .encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8));

    assertThat(authenticate(rule(jwks(RSA)), none + "." + payload + "."))
        .isEqualTo(new JwtOutcome.Rejected("Jwt verification fails"));
  }

  @Test
  void garbageToken_isRejected() {
    assertThat(authenticate(rule(jwks(RSA)), "not-a-jwt"))
        .isEqualTo(new JwtOutcome.Rejected("Jwt verification fails"));
  }

  @Test
  void tokenOfUnconfiguredIssuer_isRejected() {
    String token = sign(claims().issuer("https://other.example.com").build());

    assertThat(authenticate(rule(jwks(RSA)), token))
        .isEqualTo(new JwtOutcome.Rejected("Jwt issuer is not configured"));
  }

  @Test
  void tokenWithoutConfiguredAudience_isRejected() {
    Map<String, Object> rule = rule(jwks(RSA));
    rule.put("audiences", List.of("ratings", "details"));

    assertThat(authenticate(rule, sign(claims().build())))
        .isEqualTo(new JwtOutcome.Rejected("Audiences in Jwt are not allowed"));
  }

  @Test
  void tokenWithOneConfiguredAudience_isAccepted() {
    Map<String, Object> rule = rule(jwks(RSA));
    rule.put("audiences", List.of("ratings", "bookinfo"));

    assertThat(authenticate(rule, sign(claims().build()))).isInstanceOf(JwtOutcome.Authenticated.class);
  }

  @Test
  void jwksUriWithoutDeliveredKeys_rejectsEveryToken() {
    Map<String, Object> rule = rule(null);
    rule.remove("jwks");
    rule.put("jwksUri", "https://issuer.example.com/.well-known/jwks.json");

    assertThat(authenticate(rule, sign(claims().build())))
        .isEqualTo(new JwtOutcome.Rejected("Jwks remote fetch is failed"));
  }

  @Test
  void jwksUriWithDeliveredKeys_usesThem() {
    Map<String, Object> rule = rule(jwks(RSA));
    rule.put("jwksUri", "https://issuer.example.com/.well-known/jwks.json");

    assertThat(authenticate(rule, sign(claims().build()))).isInstanceOf(JwtOutcome.Authenticated.class);
  }

  @Test
  void keyRotation_recompiledWithNewKeys_rejectsOldKeyAndAcceptsNew() {
    var newKey = JwtTestKeys.rsa("rsa-2");
    String oldToken = sign(claims().build());
    String newToken = sign(newKey, JWSAlgorithm.RS256, claims().build());
    JwtAuthenticator before = compile(clock, rule(jwks(RSA)));
    assertThat(before.authenticate(JwtTestRequest.bearer(oldToken))).isInstanceOf(JwtOutcome.Authenticated.class);

    JwtAuthenticator after = compile(clock, rule(jwks(newKey)));

    assertThat(after.authenticate(JwtTestRequest.bearer(oldToken)))
        .isEqualTo(new JwtOutcome.Rejected("Jwt verification fails"));
    assertThat(after.authenticate(JwtTestRequest.bearer(newToken))).isInstanceOf(JwtOutcome.Authenticated.class);
  }

  @Test
  void twoRulesForOneIssuer_acceptTokensOfEitherKeySet() {
    var second = JwtTestKeys.rsa("rsa-2");
    JwtAuthenticator authenticator = compile(clock, rule(jwks(RSA)), rule(jwks(second)));

    assertThat(authenticator.authenticate(JwtTestRequest.bearer(sign(claims().build()))))
        .isInstanceOf(JwtOutcome.Authenticated.class);
    assertThat(authenticator.authenticate(JwtTestRequest.bearer(sign(second, JWSAlgorithm.RS256, claims().build()))))
        .isInstanceOf(JwtOutcome.Authenticated.class);
    assertThat(authenticator.issuers()).containsExactly(ISSUER);
  }

  @Test
  void rulesOfTwoPolicies_areMerged() {
    Map<String, Object> other = rule(jwks(EC));
    other.put("issuer", "https://other.example.com");
    JwtAuthenticator authenticator = JwtAuthenticator.compile(List.of(
        JwtTestPolicies.policy(rule(jwks(RSA))),
        new PolicySource("other-ns", "other", Map.of("jwtRules", List.of(other)))),
        clock);
    String otherToken = sign(EC, JWSAlgorithm.ES256, claims().issuer("https://other.example.com").build());

    assertThat(authenticator.authenticate(JwtTestRequest.bearer(otherToken))).isInstanceOf(JwtOutcome.Authenticated.class);
    assertThat(authenticator.issuers()).containsExactly("https://issuer.example.com", "https://other.example.com");
    assertThat(authenticator.isEmpty()).isFalse();
  }

  @Test
  void noRequestAuthentications_giveNoTokenForEveryRequest() {
    JwtAuthenticator authenticator = JwtAuthenticator.compile(List.of());

    assertThat(authenticator.isEmpty()).isTrue();
    assertThat(authenticator.authenticate(JwtTestRequest.bearer(sign(claims().build()))))
        .isSameAs(JwtOutcome.NoToken.INSTANCE);
    assertThat(JwtAuthenticator.NONE.isEmpty()).isTrue();
  }
}
