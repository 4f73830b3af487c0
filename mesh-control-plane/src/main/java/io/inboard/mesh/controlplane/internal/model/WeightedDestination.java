package io.inboard.mesh.controlplane.internal.model;

import static java.util.Objects.requireNonNull;

/**
 * Where a route sends its share of traffic, as in Istio's {@code HTTPRouteDestination}.
 *
 * @param host the destination host as written (short names resolve against the namespace)
 * @param subset the subset name, or {@code ""} for all endpoints
 * @param port the destination port, or {@code 0} for the service's only port
 * @param weight the relative share of traffic, {@code 0..100}
 */
public record WeightedDestination(String host, String subset, int port, int weight) {
  public WeightedDestination {
    requireNonNull(host, "host");
    requireNonNull(subset, "subset");
    if (host.isBlank()) {
      throw new IllegalArgumentException("route.destination.host: '' (expected: a host name)");
    }
    if (weight < 0 || weight > 100) {
      throw new IllegalArgumentException("route.weight: " + weight + " (expected: 0..100)");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("route.destination.port: " + port + " (expected: 0..65535)");
    }
  }
}
