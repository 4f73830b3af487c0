package io.inboard.mesh.controlplane.internal.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

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

  /**
   * The host both patterns cover when one covers the other (either may hold the wildcard): the
   * more specific of the two, as Istio's {@code Names.Intersection}; empty when neither covers
   * the other.
   */
  public static Optional<String> intersect(String a, String b) {
    if (covers(a, b)) {
      return Optional.of(b);
    }
    return covers(b, a) ? Optional.of(a) : Optional.empty();
  }

  /**
   * The hosts a Gateway server and a VirtualService of {@code namespace} share, in server-host
   * then VirtualService-host order, without repeats; a server host admits VirtualServices of
   * its namespace part only.
   */
  public static List<String> shared(List<GatewayHost> serverHosts,
      String namespace, List<String> virtualServiceHosts) {
    List<String> out = new ArrayList<>();
    for (GatewayHost sh : serverHosts) {
      if (!sh.admits(namespace)) {
        continue;
      }
      for (String vh : virtualServiceHosts) {
        intersect(sh.dnsName(), vh.toLowerCase(Locale.ROOT))
            .filter(h -> !out.contains(h)).ifPresent(out::add);
      }
    }
    return out;
  }
}
