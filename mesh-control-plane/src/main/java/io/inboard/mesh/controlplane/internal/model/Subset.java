package io.inboard.mesh.controlplane.internal.model;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * A named group of a service's endpoints, selected by pod labels (usually {@code version}).
 * Mirrors a DestinationRule subset.
 *
 * @param name the subset name, for example {@code v2}
 * @param labels the labels an endpoint must carry
 * @param trafficPolicy subset-level policy, overriding the host level field by field
 */
public record Subset(String name, Map<String, String> labels, TrafficPolicy trafficPolicy) {
  public Subset {
    requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("subsets.name: '' (expected: a non-empty name)");
    }
    labels = Map.copyOf(requireNonNull(labels, "labels"));
    requireNonNull(trafficPolicy, "trafficPolicy");
  }
}
