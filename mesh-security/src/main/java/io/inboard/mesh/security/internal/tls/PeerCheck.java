package io.inboard.mesh.security.internal.tls;

import io.inboard.mesh.security.SpiffeId;
import java.security.cert.CertificateException;

/**
 * Decides whether a peer whose chain verified may be talked to: clients check that a server is
 * one of the destination's service accounts (secure naming); servers leave the decision to
 * authorization and accept any identity of the trust domain.
 */
@FunctionalInterface
public interface PeerCheck {

  /** Accepts any peer that verified against the roots. */
  PeerCheck ANY = (peer, host, port) -> {};

  /**
   * Throws if {@code peer}, reached at (or connecting from) {@code host:port}, is not acceptable;
   * {@code host} may be null and {@code port} -1 when the transport does not say.
   */
  void check(SpiffeId peer, String host, int port) throws CertificateException;
}
