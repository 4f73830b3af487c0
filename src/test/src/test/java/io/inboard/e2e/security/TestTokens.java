package io.inboard.e2e.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

/** An issuer's signing key, its JWKS, and tokens it signs, for JWT tests. */
final class TestTokens {
  static final String ISSUER = "testing@inboard.example";

  private final RSAKey key;

  TestTokens(String keyId) {
    try {
      key = new RSAKeyGenerator(2048).keyID(keyId).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The public key set, as JSON text. */
  String jwks() {
    return new JWKSet(key.toPublicJWK()).toString();
  }

  /** A token of {@link #ISSUER} for {@code subject}, valid for an hour, with {@code claims}. */
  String token(String subject, Map<String, Object> claims) {
    return sign(subject, claims, Instant.now().plus(Duration.ofHours(1)));
  }

  /** A token that expired an hour ago. */
  String expired(String subject) {
    return sign(subject, Map.of(), Instant.now().minus(Duration.ofHours(1)));
  }

  /** A token of user {@code subject} in {@code groups}. */
  String member(String subject, String... groups) {
    return token(subject, Map.of("groups", List.of(groups)));
  }

  /** A valid token of this key, but from issuer {@code issuer}. */
  String fromIssuer(String issuer, String subject) {
    return sign(issuer, subject, Map.of(), Instant.now().plus(Duration.ofHours(1)));
  }

  private String sign(String subject, Map<String, Object> claims, Instant expiry) {
    return sign(ISSUER, subject, claims, expiry);
  }

  private String sign(String issuer, String subject, Map<String, Object> claims,
      Instant expiry) {
    JWTClaimsSet.Builder c = new JWTClaimsSet.Builder().issuer(issuer).subject(subject)
        .issueTime(new Date()).expirationTime(Date.from(expiry));
    claims.forEach(c::claim);
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
        .build(), c.build());
    try {
      jwt.sign(new RSASSASigner(key));
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
    return jwt.serialize();
  }
}
