package io.inboard.mesh.security.internal.jwt;

import com.nimbusds.jose.jwk.OctetKeyPair;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;

/**
 * Ed25519 signature checks on the JDK's own EdDSA (Java 15+): nimbus' {@code Ed25519Verifier}
 * needs Google Tink, which Inboard does not ship.
 */
final class Ed25519Check {
  /** The DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410), before the 32 key bytes. */
  private static final byte[] SPKI_PREFIX = {
      0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

  private Ed25519Check() {}

  static VerificationKeys.SignatureCheck of(OctetKeyPair key) throws GeneralSecurityException {
    byte[] x = key.getDecodedX();
    if (x.length != 32) {
      throw new GeneralSecurityException("Ed25519 x: " + x.length + " bytes (expected: 32)");
    }
    byte[] spki = new byte[SPKI_PREFIX.length + x.length];
    System.arraycopy(SPKI_PREFIX, 0, spki, 0, SPKI_PREFIX.length);
    System.arraycopy(x, 0, spki, SPKI_PREFIX.length, x.length);
    PublicKey publicKey = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
    return (header, signingInput, signature) -> {
      try {
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(publicKey);
        verifier.update(signingInput);
        return verifier.verify(signature.decode());
      } catch (GeneralSecurityException e) {
        return false;
      }
    };
  }
}
