package io.inboard.mesh.controlplane.internal.model;

import io.inboard.mesh.api.policy.ClientPolicy;
import io.inboard.mesh.api.policy.ConnectionPoolSettings;
import io.inboard.mesh.api.policy.LoadBalancerPolicy;
import io.inboard.mesh.api.policy.OutlierDetectionPolicy;
import java.util.Optional;

/**
 * Per-destination policy from a DestinationRule's {@code trafficPolicy} (host-level or
 * subset-level). Empty fields inherit from the enclosing level.
 *
 * @param loadBalancer {@code trafficPolicy.loadBalancer}
 * @param connectionPool {@code trafficPolicy.connectionPool}
 * @param outlierDetection {@code trafficPolicy.outlierDetection}
 */
public record TrafficPolicy(
    Optional<LoadBalancerPolicy> loadBalancer,
    Optional<ConnectionPoolSettings> connectionPool,
    Optional<OutlierDetectionPolicy> outlierDetection) {

  /** A policy that sets nothing. */
  public static final TrafficPolicy EMPTY =
      new TrafficPolicy(Optional.empty(), Optional.empty(), Optional.empty());

  /** This policy, with each empty field taken from {@code parent} (subset over host level). */
  public TrafficPolicy orElse(TrafficPolicy parent) {
    return new TrafficPolicy(loadBalancer.or(parent::loadBalancer),
        connectionPool.or(parent::connectionPool), outlierDetection.or(parent::outlierDetection));
  }

  /** The same settings as a client-policy layer. */
  public ClientPolicy asClientPolicy() {
    return new ClientPolicy(Optional.empty(), Optional.empty(), loadBalancer, connectionPool,
        outlierDetection, Optional.empty());
  }
}
