package io.inboard.mesh.security.internal.jwt;

import com.nimbusds.jose.Algorithm;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.SignedJWT;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One rule's public keys, each turned into a signature check once at compile time so that
 * verifying a token does no key conversion. Supports RSA (RS256/384/512, PS256/384/512), EC
 * (ES256/384/512), Ed25519 (EdDSA) and HMAC (HS256/384/512 from an {@code oct} key of at least
 * 256 bits). Keys of other types, or with {@code use} other than {@code sig}, are skipped.
 */
final class VerificationKeys {
  private final List<KeyCheck> checks;

  private VerificationKeys(List<KeyCheck> checks) {
    this.checks = List.copyOf(checks);
  }

  /** The usable keys of {@code keySet}. */
  static VerificationKeys of(JWKSet keySet) {
    List<KeyCheck> checks = new ArrayList<>();
    for (JWK key : keySet.getKeys()) {
      if (key.getKeyUse() != null && !KeyUse.SIGNATURE.equals(key.getKeyUse())) {
        continue;
      }
      SignatureCheck check = checkFor(key);
      if (check != null) {
        checks.add(new KeyCheck(key.getKeyID(), key.getAlgorithm(), family(key), check));
      }
    }
    return new VerificationKeys(checks);
  }

  /** How many keys can check signatures. */
  int size() {
    return checks.size();
  }

  /**
   * Whether a key verifies {@code jwt}'s signature. A key is tried when its type fits the
   * token's {@code alg}, its own {@code alg} (if any) is the token's, and its {@code kid} (if
   * both have one) is the token's.
   */
  boolean verify(SignedJWT jwt) {
    JWSHeader header = jwt.getHeader();
    JWSAlgorithm alg = header.getAlgorithm();
    String kid = header.getKeyID();
    byte[] signingInput = jwt.getSigningInput();
    for (KeyCheck key : checks) {
      if (!key.algorithms.contains(alg)
          || (key.keyAlg != null && !key.keyAlg.getName().equals(alg.getName()))
          || (kid != null && key.kid != null && !kid.equals(key.kid))) {
        continue;
      }
      try {
        if (key.check.verify(header, signingInput, jwt.getSignature())) {
          return true;
        }
      } catch (JOSEException | RuntimeException e) {
        // Wrong curve for the algorithm, a malformed signature: this key does not verify it.
      }
    }
    return false;
  }

  private static Set<JWSAlgorithm> family(JWK key) {
    if (key instanceof RSAKey) {
      return JWSAlgorithm.Family.RSA;
    }
    if (key instanceof ECKey) {
      return JWSAlgorithm.Family.EC;
    }
    if (key instanceof OctetSequenceKey) {
      return JWSAlgorithm.Family.HMAC_SHA;
    }
    return Set.of(JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519);
  }

  private static SignatureCheck checkFor(JWK key) {
    try {
      if (key instanceof RSAKey rsa) {
        return new RSASSAVerifier(rsa.toPublicJWK())::verify;
      }
      if (key instanceof ECKey ec) {
        return new ECDSAVerifier(ec.toPublicJWK())::verify;
      }
      if (key instanceof OctetSequenceKey secret) {
        return new MACVerifier(secret)::verify;
      }
      if (key instanceof OctetKeyPair okp && Curve.Ed25519.equals(okp.getCurve())) {
        return Ed25519Check.of(okp);
      }
    } catch (JOSEException | GeneralSecurityException | RuntimeException e) {
      // An HMAC secret under 256 bits, an unsupported curve: unusable, as Envoy skips it.
    }
    return null;
  }

  /** Checks a JWS signature over its signing input. */
  @FunctionalInterface
  interface SignatureCheck {
    boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature)
        throws JOSEException;
  }

  private record KeyCheck(String kid, Algorithm keyAlg, Set<JWSAlgorithm> algorithms,
      SignatureCheck check) {}
}
