package io.inboard.mesh.gateway;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A test CA issuing EC certificates (BouncyCastle), written as PEM files for DataSources. */
final class TestPki {

  private static final AtomicLong SERIAL = new AtomicLong(1);

  final KeyPair caKeys;
  final X509Certificate ca;

  TestPki(String name) throws Exception {
    caKeys = keys();
    X500Name subject = new X500Name("CN=" + name);
    ca = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
            subject, BigInteger.valueOf(SERIAL.getAndIncrement()), from(), to(), subject,
            caKeys.getPublic())
        .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
        .build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate())));
  }

  /** A leaf certificate and its key, for {@code dnsName} (CN and SAN). */
  record Leaf(X509Certificate cert, KeyPair keys) {}

  Leaf issue(String dnsName) throws Exception {
    KeyPair k = keys();
    X509Certificate c = new JcaX509CertificateConverter().getCertificate(
        new JcaX509v3CertificateBuilder(new X500Name(ca.getSubjectX500Principal().getName()),
            BigInteger.valueOf(SERIAL.getAndIncrement()), from(), to(),
            new X500Name("CN=" + dnsName), k.getPublic())
            .addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.dNSName, dnsName)))
            .build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate())));
    return new Leaf(c, k);
  }

  /** Writes {@code leaf} as {@code <dir>/<name>.crt} and {@code .key}; returns {cert, key}. */
  static Path[] write(Path dir, String name, Leaf leaf) throws Exception {
    Path cert = dir.resolve(name + ".crt");
    Path key = dir.resolve(name + ".key");
    Files.writeString(cert, pem("CERTIFICATE", leaf.cert().getEncoded()));
    Files.writeString(key, pem("PRIVATE KEY", leaf.keys().getPrivate().getEncoded()));
    return new Path[] {cert, key};
  }

  Path writeCa(Path dir) throws Exception {
    Path p = dir.resolve("ca.crt");
    Files.writeString(p, pem("CERTIFICATE", ca.getEncoded()));
    return p;
  }

  /** A client context trusting this CA, presenting {@code client} unless null. */
  SSLContext clientContext(Leaf client) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", ca);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(
        TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    KeyManagerFactory kmf = null;
    if (client != null) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("client", client.keys().getPrivate(), new char[0],
          new java.security.cert.Certificate[] {client.cert(), ca});
      kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, new char[0]);
    }
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return ctx;
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  private static KeyPair keys() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  private static Date from() {
    return Date.from(Instant.now().minus(1, ChronoUnit.HOURS));
  }

  private static Date to() {
    return Date.from(Instant.now().plus(1, ChronoUnit.DAYS));
  }

}
