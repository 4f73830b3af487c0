package io.inboard.mesh.controlplane.internal.model;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * Everything a DestinationRule says about one host: its traffic policy and its subsets.
 *
 * @param host the fully qualified host, for example {@code reviews.default.svc.cluster.local}
 * @param trafficPolicy host-level policy
 * @param subsets the named subsets
 */
public record DestinationPolicy(String host, TrafficPolicy trafficPolicy, List<Subset> subsets) {
  public DestinationPolicy {
    requireNonNull(host, "host");
    requireNonNull(trafficPolicy, "trafficPolicy");
    subsets = List.copyOf(requireNonNull(subsets, "subsets"));
  }

  /** The subset called {@code name}, if defined. */
  public Optional<Subset> subset(String name) {
    return subsets.stream().filter(s -> s.name().equals(name)).findFirst();
  }

  /** The policy in force for {@code subsetName} (or the host level when empty or unknown). */
  public TrafficPolicy effectivePolicy(String subsetName) {
    return subset(subsetName).map(s -> s.trafficPolicy().orElse(trafficPolicy))
        .orElse(trafficPolicy);
  }

  /**
   * The {@code tls} in force for service port {@code port} of {@code subsetName} ({@code ""}
   * for the host), merged as Istio does (see {@link TrafficPolicy#tlsFor}); empty when the rule
   * sets none, so that auto-mTLS decides.
   */
  public Optional<ClientTls> tlsFor(String subsetName, int port) {
    TrafficPolicy own = subset(subsetName).map(Subset::trafficPolicy).orElse(TrafficPolicy.EMPTY);
    return trafficPolicy.tlsFor(own, port);
  }
}
