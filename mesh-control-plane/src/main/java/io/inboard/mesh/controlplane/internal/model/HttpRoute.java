package io.inboard.mesh.controlplane.internal.model;

import static java.util.Objects.requireNonNull;

import io.inboard.mesh.api.policy.RetryPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One route of a VirtualService: when a request matches any of {@code matches}, it goes to one
 * of {@code destinations} by weight, with the route's timeout, retries and faults.
 *
 * @param name the route name, or {@code ""}
 * @param matches the conditions; an empty list matches every request
 * @param destinations the weighted destinations (at least one)
 * @param timeout the route timeout
 * @param retry the route retry policy
 * @param fault faults to inject
 */
public record HttpRoute(
    String name,
    List<RouteMatch> matches,
    List<WeightedDestination> destinations,
    Optional<Duration> timeout,
    Optional<RetryPolicy> retry,
    Optional<FaultPolicy> fault) {

  public HttpRoute {
    requireNonNull(name, "name");
    matches = List.copyOf(requireNonNull(matches, "matches"));
    destinations = List.copyOf(requireNonNull(destinations, "destinations"));
    if (destinations.isEmpty()) {
      throw new IllegalArgumentException(
          "http.route: [] (expected: at least one destination)");
    }
    requireNonNull(timeout, "timeout");
    requireNonNull(retry, "retry");
    requireNonNull(fault, "fault");
  }
}
