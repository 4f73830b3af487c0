package io.inboard.mesh.security.internal.pki;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/** PEM in and out: certificates, and private keys as PKCS#8 (what grpc and Envoy read). */
public final class Pem {
  private static final Base64.Encoder MIME =
      Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));

  private Pem() {}

  /** {@code certificate} as one PEM block. */
  public static String encode(X509Certificate certificate) {
    try {
      return block("CERTIFICATE", certificate.getEncoded());
    } catch (CertificateException e) {
      throw new IllegalArgumentException("certificate cannot be encoded: " + e.getMessage(), e);
    }
  }

  /** {@code certificates} as concatenated PEM blocks, in order. */
  public static String encode(List<X509Certificate> certificates) {
    StringBuilder out = new StringBuilder();
    certificates.forEach(c -> out.append(encode(c)));
    return out.toString();
  }

  /** {@code key} as a PKCS#8 {@code PRIVATE KEY} block. */
  public static String encode(PrivateKey key) {
    return block("PRIVATE KEY", key.getEncoded());
  }

  /** A PEM block of {@code type} around {@code der}. */
  public static String block(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + MIME.encodeToString(der) + "\n-----END " + type
        + "-----\n";
  }

  /**
   * Every certificate in {@code pem}, in order.
   *
   * @throws IllegalArgumentException if {@code pem} holds no certificate or a malformed one
   */
  public static List<X509Certificate> certificates(String pem) {
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      List<X509Certificate> certs = factory
          .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
          .stream().map(X509Certificate.class::cast).toList();
      if (certs.isEmpty()) {
        throw new IllegalArgumentException("no PEM certificate found (expected: -----BEGIN "
            + "CERTIFICATE----- blocks)");
      }
      return certs;
    } catch (CertificateException e) {
      throw new IllegalArgumentException("malformed PEM certificate: " + e.getMessage(), e);
    }
  }

  /**
   * The private key in {@code pem}: PKCS#8 ({@code PRIVATE KEY}) or the traditional
   * {@code EC PRIVATE KEY} / {@code RSA PRIVATE KEY} forms that openssl writes.
   *
   * @throws IllegalArgumentException if {@code pem} holds no private key
   */
  public static PrivateKey privateKey(String pem) {
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        if (o instanceof PrivateKeyInfo info) {
          return converter.getPrivateKey(info);
        }
        if (o instanceof PEMKeyPair pair) {
          return converter.getKeyPair(pair).getPrivate();
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("malformed PEM private key: " + e.getMessage(), e);
    }
    throw new IllegalArgumentException("no PEM private key found (expected: -----BEGIN PRIVATE "
        + "KEY----- or an EC/RSA PRIVATE KEY block)");
  }
}
