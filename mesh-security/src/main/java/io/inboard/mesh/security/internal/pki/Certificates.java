package io.inboard.mesh.security.internal.pki;

import io.inboard.mesh.security.SpiffeId;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Builds the mesh's certificates: self-signed roots, intermediates, and workload leaves with
 * Istio's profile (URI SAN only, empty subject, digitalSignature + keyEncipherment, serverAuth +
 * clientAuth, NotBefore a little in the past for clock skew, NotAfter clamped to the signer's).
 */
public final class Certificates {

  /** How far in the past a leaf's NotBefore is put, as Istio does: 2 minutes. */
  public static final Duration BACKDATE = Duration.ofMinutes(2);

  private static final SecureRandom RANDOM = new SecureRandom();

  private Certificates() {}

  /** A self-signed CA certificate for {@code keys}, valid from now for {@code lifetime}. */
  public static X509Certificate selfSignedRoot(KeyPair keys, String organization,
      Duration lifetime) {
    X500Name name = new X500Name("O=" + organization);
    Instant now = Instant.now();
    return sign(ca(name, name, keys.getPublic(), now.minus(BACKDATE), now.plus(lifetime), -1),
        keys.getPrivate());
  }

  /**
   * A self-signed CA certificate named {@code CN=commonName, O=organization}: a distinct name
   * for each root, so that while two roots are trusted together (a rotation) a verifier that
   * picks its trust anchor by issuer name cannot pick the wrong one.
   */
  public static X509Certificate selfSignedRoot(KeyPair keys, String organization,
      String commonName, Duration lifetime) {
    X500Name name = new org.bouncycastle.asn1.x500.X500NameBuilder()
        .addRDN(org.bouncycastle.asn1.x500.style.BCStyle.O, organization)
        .addRDN(org.bouncycastle.asn1.x500.style.BCStyle.CN, commonName).build();
    Instant now = Instant.now();
    return sign(ca(name, name, keys.getPublic(), now.minus(BACKDATE), now.plus(lifetime), -1),
        keys.getPrivate());
  }

  /**
   * A CA certificate for {@code publicKey} named {@code O=organization}, signed by {@code signer}
   * (whose certificate is {@code signerCert}), valid for {@code lifetime} but never past the
   * signer.
   */
  public static X509Certificate intermediate(PublicKey publicKey, String organization,
      Duration lifetime, X509Certificate signerCert, PrivateKey signer) {
    Instant now = Instant.now();
    Instant notAfter = min(now.plus(lifetime), signerCert.getNotAfter().toInstant());
    return sign(ca(X500Name.getInstance(signerCert.getSubjectX500Principal().getEncoded()),
        new X500Name("O=" + organization), publicKey, now.minus(BACKDATE), notAfter, 0), signer);
  }

  /**
   * A workload certificate for {@code publicKey} carrying only {@code id}, signed by
   * {@code signer}. It is valid from {@link #BACKDATE} ago for {@code lifetime}, clamped to
   * {@code signerCert}'s NotAfter.
   */
  public static X509Certificate leaf(SpiffeId id, PublicKey publicKey, Duration lifetime,
      X509Certificate signerCert, PrivateKey signer) {
    Instant now = Instant.now();
    return leaf(id, publicKey, now.minus(BACKDATE),
        min(now.plus(lifetime), signerCert.getNotAfter().toInstant()), signerCert, signer);
  }

  /** A workload certificate with explicit validity (tests use it for expired certificates). */
  public static X509Certificate leaf(SpiffeId id, PublicKey publicKey, Instant notBefore,
      Instant notAfter, X509Certificate signerCert, PrivateKey signer) {
    try {
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
          X500Name.getInstance(signerCert.getSubjectX500Principal().getEncoded()), serial(),
          Date.from(notBefore), Date.from(notAfter), new X500Name(""), publicKey);
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      // an empty subject makes the SAN the only name, so it must be critical (RFC 5280 4.2.1.6)
      b.addExtension(Extension.subjectAlternativeName, true, new GeneralNames(
          new GeneralName(GeneralName.uniformResourceIdentifier, id.toString())));
      b.addExtension(Extension.keyUsage, true,
          new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
      b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
          new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(Extension.authorityKeyIdentifier, false,
          utils.createAuthorityKeyIdentifier(signerCert));
      return sign(b, signer);
    } catch (java.io.IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot build a workload certificate: " + e.getMessage(), e);
    }
  }

  private static X509v3CertificateBuilder ca(X500Name issuer, X500Name subject,
      PublicKey publicKey, Instant notBefore, Instant notAfter, int pathLength) {
    try {
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, serial(),
          Date.from(notBefore), Date.from(notAfter), subject, publicKey);
      b.addExtension(Extension.basicConstraints, true,
          pathLength < 0 ? new BasicConstraints(true) : new BasicConstraints(pathLength));
      b.addExtension(Extension.keyUsage, true,
          new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
      b.addExtension(Extension.subjectKeyIdentifier, false,
          new JcaX509ExtensionUtils().createSubjectKeyIdentifier(publicKey));
      return b;
    } catch (java.io.IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot build a CA certificate: " + e.getMessage(), e);
    }
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer) {
    try {
      return new JcaX509CertificateConverter().getCertificate(builder.build(
          new JcaContentSignerBuilder(KeyAlgorithm.signatureAlgorithmFor(signer.getAlgorithm()))
              .build(signer)));
    } catch (OperatorCreationException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign a certificate: " + e.getMessage(), e);
    }
  }

  private static BigInteger serial() {
    return new BigInteger(127, RANDOM).add(BigInteger.ONE);
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}
