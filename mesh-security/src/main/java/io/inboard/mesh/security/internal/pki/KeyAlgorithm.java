package io.inboard.mesh.security.internal.pki;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Locale;

/** The key types workloads and the CA generate. */
public enum KeyAlgorithm {
  /** ECDSA on P-256: the default, with much cheaper handshakes and signing than RSA. */
  EC_P256("SHA256withECDSA"),
  /** RSA 2048, Istio's default. */
  RSA_2048("SHA256withRSA");

  private final String signatureAlgorithm;

  KeyAlgorithm(String signatureAlgorithm) {
    this.signatureAlgorithm = signatureAlgorithm;
  }

  /** The JCA signature algorithm that keys of this type sign with. */
  public String signatureAlgorithm() {
    return signatureAlgorithm;
  }

  /** A fresh key pair. */
  public KeyPair generate() {
    try {
      if (this == EC_P256) {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
      }
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("JDK cannot generate " + this + " keys", e);
    }
  }

  /** The signature algorithm for a key of JCA algorithm {@code keyAlgorithm} (EC or RSA). */
  public static String signatureAlgorithmFor(String keyAlgorithm) {
    return switch (keyAlgorithm) {
      case "EC" -> EC_P256.signatureAlgorithm;
      case "RSA" -> RSA_2048.signatureAlgorithm;
      default -> throw new IllegalArgumentException("key algorithm: " + keyAlgorithm
          + " (expected: EC or RSA)");
    };
  }

  /**
   * Parses {@code EC_P256} / {@code RSA_2048} (case-insensitive; also {@code ECDSA}, {@code RSA}).
   *
   * @throws IllegalArgumentException naming {@code field}, the value and the choices
   */
  public static KeyAlgorithm parse(String field, String text) {
    String t = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
    return switch (t) {
      case "EC_P256", "ECDSA", "EC", "P256" -> EC_P256;
      case "RSA_2048", "RSA" -> RSA_2048;
      default -> throw new IllegalArgumentException(field + ": '" + text
          + "' (expected: EC_P256 or RSA_2048)");
    };
  }
}
