package io.inboard.mesh.security.internal.identity;

import io.inboard.mesh.security.SpiffeId;
import io.inboard.mesh.security.internal.pki.Pem;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Checks what the CA answered before the workload uses it, as Istio's agent does and more: a
 * chain of at least two certificates (leaf first, root last), a leaf for the key this workload
 * made and for the identity it expects, not yet expired, that verifies to a root it already
 * trusts. A CA that signs for another identity, another key or under a foreign root is refused.
 */
final class IssuedChain {
  private IssuedChain() {}

  /**
   * The chain in {@code pemChain}, checked.
   *
   * @param anchors the roots the chain must verify to
   * @throws IllegalStateException saying what is wrong with the answer
   */
  static List<X509Certificate> check(List<String> pemChain, PublicKey ours, SpiffeId expected,
      List<X509Certificate> anchors, Instant now) {
    List<X509Certificate> chain = new ArrayList<>();
    for (int i = 0; i < pemChain.size(); i++) {
      try {
        chain.addAll(Pem.certificates(pemChain.get(i)));
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException("cert_chain[" + i + "]: " + e.getMessage(), e);
      }
    }
    if (chain.size() < 2) {
      throw new IllegalStateException("cert_chain: " + chain.size() + " certificate(s)"
          + " (expected: at least 2, the leaf first and the root last)");
    }
    X509Certificate leaf = chain.get(0);
    if (!leaf.getPublicKey().equals(ours)) {
      throw new IllegalStateException("cert_chain[0]: certified key is not the one this workload"
          + " sent in its CSR (expected: the CSR's public key)");
    }
    Optional<SpiffeId> id = SpiffeId.fromCertificate(leaf);
    if (!id.equals(Optional.of(expected))) {
      throw new IllegalStateException("cert_chain[0]: identity "
          + id.map(SpiffeId::toString).orElse("none") + " (expected: " + expected + ")");
    }
    if (!leaf.getNotAfter().toInstant().isAfter(now)) {
      throw new IllegalStateException("cert_chain[0]: expired at " + leaf.getNotAfter().toInstant()
          + " (expected: a certificate valid now)");
    }
    verify(chain, anchors, now);
    return List.copyOf(chain);
  }

  /** The chain's root: its last certificate when that one is self-signed. */
  static Optional<X509Certificate> root(List<X509Certificate> chain) {
    X509Certificate last = chain.get(chain.size() - 1);
    return chain.size() > 1 && RootBundle.isSelfSigned(last) ? Optional.of(last)
        : Optional.empty();
  }

  private static void verify(List<X509Certificate> chain, List<X509Certificate> anchors,
      Instant now) {
    Set<TrustAnchor> trust = new HashSet<>();
    anchors.forEach(r -> trust.add(new TrustAnchor(r, null)));
    List<X509Certificate> path = new ArrayList<>(chain);
    // PKIX wants the path without its anchor; a root the chain brings that is not trusted
    // already stays in the path, and fails it
    Set<X509Certificate> anchorSet = Set.copyOf(anchors);
    while (path.size() > 1 && anchorSet.contains(path.get(path.size() - 1))) {
      path.remove(path.size() - 1);
    }
    try {
      PKIXParameters p = new PKIXParameters(trust);
      p.setRevocationEnabled(false);
      p.setDate(Date.from(now));
      CertPathValidator.getInstance("PKIX").validate(
          CertificateFactory.getInstance("X.509").generateCertPath(path), p);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new IllegalStateException("cert_chain: does not verify against the trusted roots "
          + subjects(anchors) + " (" + e.getMessage() + ")", e);
    }
  }

  private static List<String> subjects(List<X509Certificate> certs) {
    return certs.stream().map(c -> c.getSubjectX500Principal().getName()).toList();
  }
}
