package io.inboard.mesh.security.internal.identity;

import io.inboard.mesh.security.internal.pki.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The mesh's root bundle file ({@code root-cert.pem}): every root the workload trusts, old and
 * new together while the CA's root is rotated.
 */
final class RootBundle {
  private final Path file;

  RootBundle(Path file) {
    this.file = file;
  }

  Path file() {
    return file;
  }

  /**
   * The roots in the file, in order.
   *
   * @throws IllegalStateException naming the file and what is wrong with it
   */
  List<X509Certificate> read() {
    String pem;
    try {
      pem = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalStateException("root bundle " + file + ": cannot read it (" + e + ")", e);
    }
    List<X509Certificate> roots;
    try {
      roots = Pem.certificates(pem);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("root bundle " + file + ": " + e.getMessage(), e);
    }
    for (X509Certificate r : roots) {
      if (r.getBasicConstraints() < 0) {
        throw new IllegalStateException("root bundle " + file + ": " + r.getSubjectX500Principal()
            + " is not a CA certificate (expected: only CA certificates)");
      }
    }
    return roots;
  }

  /** {@code a} and then those of {@code b} not in it. */
  static List<X509Certificate> union(List<X509Certificate> a, List<X509Certificate> b) {
    Set<X509Certificate> all = new LinkedHashSet<>(a);
    all.addAll(b);
    return new ArrayList<>(all);
  }

  /** Whether {@code c} is self-signed, so a root. */
  static boolean isSelfSigned(X509Certificate c) {
    if (!c.getSubjectX500Principal().equals(c.getIssuerX500Principal())) {
      return false;
    }
    try {
      c.verify(c.getPublicKey());
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
