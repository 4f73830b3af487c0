package io.inboard.mesh.http.internal.tls;

import io.inboard.mesh.api.discovery.Endpoint;
import io.inboard.mesh.security.SpiffeId;
import io.inboard.mesh.security.internal.tls.PeerCheck;
import java.security.cert.CertificateException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Secure naming for the client's mTLS connections: which SPIFFE IDs the server at each endpoint
 * address may present, from the {@code match_subject_alt_names} of every mTLS cluster that lists
 * the endpoint. The handshake only reads an immutable map; clusters change it on the xDS thread.
 *
 * <p>One JDK client serves every mTLS cluster, so the check goes by the address the engine
 * connected to, not by cluster. An address listed by several clusters accepts the union of their
 * names (in practice they agree: subsets of one service share its service accounts).
 */
public final class UpstreamIdentities implements PeerCheck {

  /** An endpoint whose cluster names no SANs: any identity of the trust domain. */
  private static final Set<String> ANY = Set.of("*");

  // xDS thread only: each cluster's names and endpoint keys
  private final Map<String, Contribution> clusters = new HashMap<>();
  private volatile Map<String, Set<String>> byEndpoint = Map.of();

  /**
   * Sets what {@code cluster} says: its endpoints may present any of {@code subjectAltNames}
   * (empty: any identity). Called before the cluster's calls may use the endpoints.
   */
  public synchronized void update(String cluster, Set<String> subjectAltNames,
      Collection<Endpoint> endpoints) {
    Set<String> keys = new HashSet<>();
    for (Endpoint e : endpoints) {
      keys.add(key(e.address(), e.port()));
    }
    clusters.put(cluster, new Contribution(subjectAltNames.isEmpty() ? ANY
        : Set.copyOf(subjectAltNames), Set.copyOf(keys)));
    rebuild();
  }

  /** Forgets {@code cluster} (it is plaintext now, or gone). */
  public synchronized void remove(String cluster) {
    if (clusters.remove(cluster) != null) {
      rebuild();
    }
  }

  private void rebuild() {
    Map<String, Set<String>> next = new HashMap<>();
    for (Contribution c : clusters.values()) {
      for (String k : c.endpoints) {
        next.merge(k, c.names, UpstreamIdentities::union);
      }
    }
    byEndpoint = Map.copyOf(next);
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    if (a == ANY || b == ANY) {
      return ANY;
    }
    Set<String> u = new HashSet<>(a);
    u.addAll(b);
    return Set.copyOf(u);
  }

  @Override
  public void check(SpiffeId peer, String host, int port) throws CertificateException {
    if (host == null || port < 0) {
      throw new CertificateException("server " + peer + ": the TLS engine did not say which"
          + " endpoint it connected to, so secure naming cannot be checked");
    }
    Set<String> allowed = byEndpoint.get(key(host, port));
    if (allowed == null) {
      throw new CertificateException("server " + peer + " at " + host + ":" + port
          + " is not an endpoint of any mTLS cluster (expected: an EDS endpoint)");
    }
    if (allowed != ANY && !allowed.contains(peer.toString())) {
      throw new CertificateException("server " + peer + " at " + host + ":" + port
          + " is not one of the destination's identities " + allowed
          + " (match_subject_alt_names): secure naming refused it");
    }
  }

  private static String key(String host, int port) {
    String h = host.startsWith("[") && host.endsWith("]")
        ? host.substring(1, host.length() - 1) : host;
    return h.toLowerCase(java.util.Locale.ROOT) + ":" + port;
  }

  private record Contribution(Set<String> names, Set<String> endpoints) {}
}
