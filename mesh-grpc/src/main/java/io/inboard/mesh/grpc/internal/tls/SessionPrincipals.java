package io.inboard.mesh.grpc.internal.tls;

import io.grpc.Attributes;
import io.grpc.Grpc;
import io.inboard.mesh.security.internal.tls.PeerPrincipals;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * The SPIFFE IDs of a TLS connection's two ends, read from grpc's transport attributes. Each is
 * parsed once per TLS session and kept in the session, since every call on a connection asks.
 */
public final class SessionPrincipals {

  private static final String PEER = "io.inboard.mesh.peer-principal";
  private static final String LOCAL = "io.inboard.mesh.local-principal";

  private SessionPrincipals() {}

  /** The connection's TLS session, or {@code null} on plaintext. */
  public static SSLSession session(Attributes transportAttributes) {
    return transportAttributes == null ? null
        : transportAttributes.get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
  }

  /**
   * The other end's SPIFFE ID ({@code spiffe://<td>/ns/<ns>/sa/<sa>}), or {@code ""} when the
   * session is {@code null} or the peer presented no certificate with one.
   */
  public static String peer(SSLSession session) {
    if (session == null) {
      return "";
    }
    return cached(session, PEER, () -> {
      try {
        return principal(session.getPeerCertificates());
      } catch (SSLPeerUnverifiedException noCertificate) {
        return "";
      }
    });
  }

  /** This end's SPIFFE ID in {@code session}, or {@code ""}. */
  public static String local(SSLSession session) {
    return session == null ? "" : cached(session, LOCAL,
        () -> principal(session.getLocalCertificates()));
  }

  private interface Reader {
    String read();
  }

  private static String cached(SSLSession session, String key, Reader reader) {
    if (session.getValue(key) instanceof String known) {
      return known;
    }
    String value = reader.read();
    try {
      session.putValue(key, value);
    } catch (RuntimeException sessionKeepsNoValues) {
      // then PeerPrincipals' cache answers per call
    }
    return value;
  }

  private static String principal(Certificate[] chain) {
    return chain != null && chain.length > 0 && chain[0] instanceof X509Certificate leaf
        ? PeerPrincipals.of(leaf) : "";
  }
}
