package io.inboard.mesh.security.internal.pki;

import io.inboard.mesh.security.SpiffeId;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.DEROctetString;
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
 * Certificates for servers that clients reach by host name or address, such as the control
 * plane's TLS port (istiod's serves {@code istiod.<ns>.svc}): DNS and IP SANs, plus the server's
 * own SPIFFE ID, so that hostname-checking TLS clients and mesh peers both accept it.
 */
public final class ServingCertificates {
  private static final SecureRandom RANDOM = new SecureRandom();

  private ServingCertificates() {}

  /**
   * A serving certificate for {@code publicKey} with {@code dnsNames}, {@code addresses} and
   * {@code id} as SANs, signed by {@code signer}: valid from {@link Certificates#BACKDATE} ago for
   * {@code lifetime}, never past {@code signerCert}.
   *
   * @throws IllegalArgumentException when no DNS name and no address is given
   */
  public static X509Certificate create(SpiffeId id, List<String> dnsNames,
      List<InetAddress> addresses, PublicKey publicKey, Duration lifetime,
      X509Certificate signerCert, PrivateKey signer) {
    if (dnsNames.isEmpty() && addresses.isEmpty()) {
      throw new IllegalArgumentException("dnsNames, addresses: both empty (expected: at least one"
          + " name clients dial)");
    }
    List<GeneralName> names = new ArrayList<>();
    dnsNames.forEach(n -> names.add(new GeneralName(GeneralName.dNSName, n)));
    addresses.forEach(a -> names.add(new GeneralName(GeneralName.iPAddress,
        new DEROctetString(a.getAddress()))));
    names.add(new GeneralName(GeneralName.uniformResourceIdentifier, id.toString()));
    Instant now = Instant.now();
    Instant notAfter = now.plus(lifetime);
    if (notAfter.isAfter(signerCert.getNotAfter().toInstant())) {
      notAfter = signerCert.getNotAfter().toInstant();
    }
    try {
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
          X500Name.getInstance(signerCert.getSubjectX500Principal().getEncoded()),
          new BigInteger(127, RANDOM).add(BigInteger.ONE), Date.from(now.minus(
              Certificates.BACKDATE)), Date.from(notAfter), new X500Name(""), publicKey);
      b.addExtension(Extension.subjectAlternativeName, true,
          new GeneralNames(names.toArray(GeneralName[]::new)));
      b.addExtension(Extension.keyUsage, true,
          new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
      b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
          new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(Extension.authorityKeyIdentifier, false,
          new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(signerCert));
      return new JcaX509CertificateConverter().getCertificate(b.build(
          new JcaContentSignerBuilder(KeyAlgorithm.signatureAlgorithmFor(signer.getAlgorithm()))
              .build(signer)));
    } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot build a serving certificate: " + e.getMessage(), e);
    }
  }

  /**
   * Whether {@code key} is the private half of {@code publicKey}: a probe signed with one
   * verifies with the other.
   */
  public static boolean keyMatches(PrivateKey key, PublicKey publicKey) {
    if (!key.getAlgorithm().equals(publicKey.getAlgorithm())) {
      return false;
    }
    try {
      String algorithm = KeyAlgorithm.signatureAlgorithmFor(key.getAlgorithm());
      byte[] probe = "inboard-key-probe".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      java.security.Signature s = java.security.Signature.getInstance(algorithm);
      s.initSign(key);
      s.update(probe);
      byte[] signature = s.sign();
      java.security.Signature v = java.security.Signature.getInstance(algorithm);
      v.initVerify(publicKey);
      v.update(probe);
      return v.verify(signature);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }
}
