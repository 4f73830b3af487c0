package io.inboard.mesh.security.internal.tls;

import io.inboard.mesh.security.SpiffeId;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The SPIFFE ID string of a verified peer certificate, read once per certificate: every request
 * on a kept-alive mTLS connection presents the same certificate, and the per-request path should
 * only look it up, not parse SANs again.
 */
public final class PeerPrincipals {
  // weak: an entry goes with its connection's certificate
  private static final Map<X509Certificate, String> CACHE =
      Collections.synchronizedMap(new WeakHashMap<>());

  private PeerPrincipals() {}

  /**
   * {@code spiffe://...} of {@code leaf}, or {@code ""} when it carries no single SPIFFE ID
   * (or is {@code null}).
   */
  public static String of(X509Certificate leaf) {
    if (leaf == null) {
      return "";
    }
    return CACHE.computeIfAbsent(leaf,
        c -> SpiffeId.fromCertificate(c).map(SpiffeId::toString).orElse(""));
  }
}
