package io.inboard.mesh.security.internal.tls;

import static java.util.Objects.requireNonNull;

import io.inboard.mesh.security.SpiffeId;
import io.inboard.mesh.security.internal.identity.IdentityMaterial;
import io.inboard.mesh.security.internal.identity.WorkloadIdentity;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Checks a peer's certificate the mesh's way, replacing the hostname check: the chain must verify
 * against the roots in force (both during a root rotation), the leaf must carry exactly one
 * SPIFFE ID in the workload's trust domain, and the {@link PeerCheck} must accept it. Because it
 * extends {@link X509ExtendedTrustManager}, JSSE uses it as it is and adds no endpoint
 * identification of its own (SPIFFE certificates have no DNS names).
 */
public final class SpiffeTrustManager extends X509ExtendedTrustManager {
  private final WorkloadIdentity identity;
  private final PeerCheck serverCheck;
  private final PeerCheck clientCheck;
  // the roots' parameters are built once per root set, not per handshake
  private volatile Anchors anchors = new Anchors(List.of(), null);

  /**
   * @param serverCheck applied to servers this side connects to
   * @param clientCheck applied to clients connecting to this side
   */
  public SpiffeTrustManager(WorkloadIdentity identity, PeerCheck serverCheck,
      PeerCheck clientCheck) {
    this.identity = requireNonNull(identity, "identity");
    this.serverCheck = requireNonNull(serverCheck, "serverCheck");
    this.clientCheck = requireNonNull(clientCheck, "clientCheck");
  }

  /** The SPIFFE ID of a verified peer's leaf (the chain is assumed verified already). */
  public static SpiffeId peerId(X509Certificate[] chain) throws CertificateException {
    if (chain == null || chain.length == 0) {
      throw new CertificateException("peer presented no certificate");
    }
    return SpiffeId.fromCertificate(chain[0]).orElseThrow(() -> new CertificateException(
        "peer certificate " + chain[0].getSubjectX500Principal() + " carries no single SPIFFE "
            + "URI SAN (expected: exactly one spiffe://<td>/ns/<ns>/sa/<sa>)"));
  }

  private SpiffeId verify(X509Certificate[] chain, PeerCheck check, String host, int port)
      throws CertificateException {
    IdentityMaterial material = identity.current().orElseThrow(() ->
        new CertificateException("this workload has no certificate yet, so it trusts no peer"));
    SpiffeId peer = peerId(chain);
    if (!peer.trustDomain().equals(identity.id().trustDomain())) {
      throw new CertificateException("peer " + peer + " is in trust domain '"
          + peer.trustDomain() + "' (expected: '" + identity.id().trustDomain() + "')");
    }
    validatePath(chain, material.roots());
    check.check(peer, host, port);
    return peer;
  }

  private void validatePath(X509Certificate[] chain, List<X509Certificate> roots)
      throws CertificateException {
    Anchors a = anchors;
    if (!a.roots.equals(roots)) {
      a = new Anchors(roots, parameters(roots));
      anchors = a;
    }
    // a chain may end with its root; PKIX wants the path without the anchor
    List<X509Certificate> path = new ArrayList<>(Arrays.asList(chain));
    while (path.size() > 1 && a.rootSet.contains(path.get(path.size() - 1))) {
      path.remove(path.size() - 1);
    }
    try {
      PKIXParameters params = (PKIXParameters) a.parameters.clone();
      CertPathValidator.getInstance("PKIX").validate(
          CertificateFactory.getInstance("X.509").generateCertPath(path), params);
    } catch (GeneralSecurityException e) {
      throw new CertificateException("peer certificate does not verify against the mesh roots: "
          + e.getMessage(), e);
    }
  }

  private static PKIXParameters parameters(List<X509Certificate> roots)
      throws CertificateException {
    Set<TrustAnchor> trust = new HashSet<>();
    roots.forEach(r -> trust.add(new TrustAnchor(r, null)));
    try {
      PKIXParameters p = new PKIXParameters(trust);
      // no CRL or OCSP in the mesh: short-lived certificates are the revocation
      p.setRevocationEnabled(false);
      return p;
    } catch (GeneralSecurityException e) {
      throw new CertificateException("mesh roots unusable: " + e.getMessage(), e);
    }
  }

  private record Anchors(List<X509Certificate> roots, PKIXParameters parameters,
      Set<X509Certificate> rootSet) {
    Anchors(List<X509Certificate> roots, PKIXParameters parameters) {
      this(roots, parameters, Set.copyOf(roots));
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    verify(chain, clientCheck, null, -1);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    String host = socket instanceof SSLSocket s && s.getInetAddress() != null
        ? s.getInetAddress().getHostAddress() : null;
    verify(chain, serverCheck, host, socket == null ? -1 : socket.getPort());
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    verify(chain, clientCheck, null, -1);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    verify(chain, serverCheck, engine == null ? null : engine.getPeerHost(),
        engine == null ? -1 : engine.getPeerPort());
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    verify(chain, clientCheck, null, -1);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    verify(chain, serverCheck, null, -1);
  }

  /**
   * None named: a server's certificate request would otherwise list the roots of the moment it
   * was built (OpenSSL reads them once), and a client holding a certificate from a newer root
   * would find no matching one to send. Every mesh client has exactly one certificate anyway.
   */
  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[0];
  }
}
