package io.inboard.mesh.controlplane.internal.model;

/** Istio's host-name rules. */
public final class Hosts {
  private Hosts() {}

  /**
   * Resolves {@code host} as Istio does: a name without dots ({@code reviews}) is short for
   * {@code reviews.<namespace>.svc.<clusterDomain>}; anything with a dot, and wildcards, are
   * taken as written.
   */
  public static String fqdn(String host, String namespace, String clusterDomain) {
    if (host.contains(".") || host.contains("*")) {
      return host;
    }
    return host + "." + namespace + ".svc." + clusterDomain;
  }

  /** Whether the VirtualService host pattern {@code pattern} covers {@code fqdn}. */
  public static boolean covers(String pattern, String fqdn) {
    if (pattern.equals("*")) {
      return true;
    }
    if (pattern.startsWith("*.")) {
      return fqdn.endsWith(pattern.substring(1));
    }
    return pattern.equals(fqdn);
  }
}
