package io.inboard.mesh.security.internal.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.util.Arrays;

/** Signing keys made once per test run, and tokens signed by them. */
final class JwtTestKeys {
  static final RSAKey RSA = rsa("rsa-1");
  static final RSAKey OTHER_RSA = rsa("rsa-1"); // same kid, different key: a forger's
  static final ECKey EC = ec("ec-1");
  static final OctetSequenceKey HMAC = hmac("hs-1");

  private JwtTestKeys() {}

  /** The public JWKS of {@code keys}, as a RequestAuthentication's {@code jwks} holds it. */
  static String jwks(JWK... keys) {
    return new JWKSet(Arrays.stream(keys).map(JWK::toPublicJWK).toList()).toString();
  }

  /** A compact token over {@code claims} signed by {@code key} with {@code alg}. */
  static String sign(JWK key, JWSAlgorithm alg, JWTClaimsSet claims) {
    try {
      JWSSigner signer;
      if (key instanceof RSAKey rsa) {
        signer = new RSASSASigner(rsa);
      } else if (key instanceof ECKey ec) {
        signer = new ECDSASigner(ec);
      } else {
        signer = new MACSigner((OctetSequenceKey) key);
      }
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(key.getKeyID()).build(), claims);
      jwt.sign(signer);
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new AssertionError(e);
    }
  }

  /** An RS256 token over {@code claims} signed by {@link #RSA}. */
  static String sign(JWTClaimsSet claims) {
    return sign(RSA, JWSAlgorithm.RS256, claims);
  }

  static RSAKey rsa(String kid) {
    try {
      return new RSAKeyGenerator(2048).keyID(kid).generate();
    } catch (JOSEException e) {
      throw new AssertionError(e);
    }
  }

  private static ECKey ec(String kid) {
    try {
      return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
    } catch (JOSEException e) {
      throw new AssertionError(e);
    }
  }

  private static OctetSequenceKey hmac(String kid) {
    try {
      return new OctetSequenceKeyGenerator(256).keyID(kid).generate();
    } catch (JOSEException e) {
      throw new AssertionError(e);
    }
  }
}
