package io.inboard.mesh.controlplane.internal.ca;

import io.inboard.mesh.security.internal.pki.Pem;
import io.inboard.mesh.security.internal.pki.ServingCertificates;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A CA plugged in by the user, as Istio's {@code cacerts}: {@code ca-cert.pem} (the certificate
 * that signs workloads, usually an intermediate), {@code ca-key.pem} (its key),
 * {@code root-cert.pem} (the root workloads trust) and {@code cert-chain.pem} (from
 * {@code ca-cert.pem} up to the root; {@code ca-cert.pem} itself and the root may be included
 * or left out). Checked before use: the key matches the certificate, the certificate is a CA,
 * and each certificate of the chain is signed by the next, up to the root.
 */
public final class PluggedCa {
  /** The file and Secret-key names, as Istio's. */
  public static final String CA_CERT = "ca-cert.pem";
  public static final String CA_KEY = "ca-key.pem";
  public static final String ROOT_CERT = "root-cert.pem";
  public static final String CERT_CHAIN = "cert-chain.pem";

  private PluggedCa() {}

  /**
   * Reads and checks the four files of {@code dir}.
   *
   * @throws IllegalArgumentException naming the directory, the file and what is wrong
   */
  public static SigningAuthority fromDirectory(Path dir) {
    String where = "cacerts " + dir;
    return validate(where, read(dir, CA_CERT, where), read(dir, CA_KEY, where),
        read(dir, ROOT_CERT, where), read(dir, CERT_CHAIN, where));
  }

  /** Reads and checks the four entries of {@code data} (a Secret's decoded data). */
  public static SigningAuthority fromEntries(String where, Map<String, String> data) {
    for (String k : List.of(CA_CERT, CA_KEY, ROOT_CERT, CERT_CHAIN)) {
      if (data.get(k) == null || data.get(k).isBlank()) {
        throw new IllegalArgumentException(where + ": key " + k + " missing (expected: "
            + CA_CERT + ", " + CA_KEY + ", " + ROOT_CERT + " and " + CERT_CHAIN + ")");
      }
    }
    return validate(where, data.get(CA_CERT), data.get(CA_KEY), data.get(ROOT_CERT),
        data.get(CERT_CHAIN));
  }

  /** Checks the four PEM texts and returns the authority that signs with them. */
  static SigningAuthority validate(String where, String caCertPem, String caKeyPem,
      String rootPem, String chainPem) {
    X509Certificate caCert = single(where, CA_CERT, caCertPem);
    X509Certificate root = single(where, ROOT_CERT, rootPem);
    PrivateKey key;
    try {
      key = Pem.privateKey(caKeyPem);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + CA_KEY + ": " + e.getMessage(), e);
    }
    if (!ServingCertificates.keyMatches(key, caCert.getPublicKey())) {
      throw new IllegalArgumentException(where + ": " + CA_KEY + " does not match " + CA_CERT
          + " (expected: the private key of " + caCert.getSubjectX500Principal() + ")");
    }
    if (caCert.getBasicConstraints() < 0) {
      throw new IllegalArgumentException(where + ": " + CA_CERT + " "
          + caCert.getSubjectX500Principal() + " is not a CA certificate (expected: basic"
          + " constraints CA:true)");
    }
    List<X509Certificate> given = certificates(where, CERT_CHAIN, chainPem);
    List<X509Certificate> chain = new ArrayList<>();
    chain.add(caCert);
    for (X509Certificate c : given) {
      if (!c.equals(caCert) && !c.equals(root)) {
        chain.add(c);
      }
    }
    if (!caCert.equals(root)) {
      chain.add(root);
    }
    for (int i = 0; i < chain.size(); i++) {
      X509Certificate c = chain.get(i);
      X509Certificate issuer = i + 1 < chain.size() ? chain.get(i + 1) : root;
      try {
        c.checkValidity();
        c.verify(issuer.getPublicKey());
      } catch (CertificateException e) {
        throw new IllegalArgumentException(where + ": " + c.getSubjectX500Principal()
            + " is not valid now (" + e.getMessage() + ")", e);
      } catch (GeneralSecurityException e) {
        throw new IllegalArgumentException(where + ": " + c.getSubjectX500Principal()
            + " is not signed by " + issuer.getSubjectX500Principal() + " (expected: "
            + CERT_CHAIN + " from " + CA_CERT + " up to " + ROOT_CERT + ", each signed by the"
            + " next)", e);
      }
    }
    return new SigningAuthority(key, chain);
  }

  private static String read(Path dir, String file, String where) {
    try {
      return Files.readString(dir.resolve(file), StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(where + ": " + file + " missing (expected: "
          + CA_CERT + ", " + CA_KEY + ", " + ROOT_CERT + " and " + CERT_CHAIN + ")", e);
    } catch (IOException e) {
      throw new IllegalArgumentException(where + ": " + file + " unreadable: " + e, e);
    }
  }

  private static X509Certificate single(String where, String file, String pem) {
    return certificates(where, file, pem).get(0);
  }

  private static List<X509Certificate> certificates(String where, String file, String pem) {
    try {
      return Pem.certificates(pem);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + file + ": " + e.getMessage(), e);
    }
  }
}
