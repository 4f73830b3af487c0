package io.inboard.mesh.controlplane.internal.model;

import io.inboard.mesh.api.policy.ClientPolicy;
import io.inboard.mesh.api.policy.ConnectionPoolSettings;
import io.inboard.mesh.api.policy.LoadBalancerPolicy;
import io.inboard.mesh.api.policy.OutlierDetectionPolicy;
import java.util.Map;
import java.util.Optional;

/**
 * Per-destination policy from a DestinationRule's {@code trafficPolicy} (host-level or
 * subset-level). Empty fields inherit from the enclosing level.
 *
 * @param loadBalancer {@code trafficPolicy.loadBalancer}
 * @param connectionPool {@code trafficPolicy.connectionPool}
 * @param outlierDetection {@code trafficPolicy.outlierDetection}
 * @param tls {@code trafficPolicy.tls}
 * @param portTls {@code trafficPolicy.portLevelSettings[].tls} by service port: the only
 *     port-level setting served so far
 */
public record TrafficPolicy(
    Optional<LoadBalancerPolicy> loadBalancer,
    Optional<ConnectionPoolSettings> connectionPool,
    Optional<OutlierDetectionPolicy> outlierDetection,
    Optional<ClientTls> tls,
    Map<Integer, ClientTls> portTls) {

  /** A policy that sets nothing. */
  public static final TrafficPolicy EMPTY = new TrafficPolicy(Optional.empty(),
      Optional.empty(), Optional.empty(), Optional.empty(), Map.of());

  public TrafficPolicy {
    portTls = Map.copyOf(portTls);
  }

  /** A policy without TLS settings. */
  public TrafficPolicy(Optional<LoadBalancerPolicy> loadBalancer,
      Optional<ConnectionPoolSettings> connectionPool,
      Optional<OutlierDetectionPolicy> outlierDetection) {
    this(loadBalancer, connectionPool, outlierDetection, Optional.empty(), Map.of());
  }

  /**
   * This policy, with each empty field taken from {@code parent} (subset over host level).
   * {@link #tls} and {@link #portTls} are not merged here: see {@link #tlsFor}.
   */
  public TrafficPolicy orElse(TrafficPolicy parent) {
    return new TrafficPolicy(loadBalancer.or(parent::loadBalancer),
        connectionPool.or(parent::connectionPool), outlierDetection.or(parent::outlierDetection),
        tls, portTls);
  }

  /**
   * The TLS settings of service port {@code port} as Istio merges them (MergeTrafficPolicy): a
   * subset's port-level setting, else the subset's own, else the host's port-level one, else
   * the host's; empty when none sets {@code tls}.
   *
   * @param subset the subset's own policy, or {@link #EMPTY} for the host's clusters
   */
  public Optional<ClientTls> tlsFor(TrafficPolicy subset, int port) {
    return Optional.ofNullable(subset.portTls.get(port)).or(subset::tls)
        .or(() -> Optional.ofNullable(portTls.get(port))).or(this::tls);
  }

  /** The same settings as a client-policy layer. */
  public ClientPolicy asClientPolicy() {
    return new ClientPolicy(Optional.empty(), Optional.empty(), loadBalancer, connectionPool,
        outlierDetection, Optional.empty());
  }
}
