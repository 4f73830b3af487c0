package io.inboard.mesh.controlplane.internal.translate;

import io.inboard.mesh.api.policy.LoadBalancerPolicy;
import io.inboard.mesh.controlplane.internal.model.WeightedDestination;
import java.util.Optional;

/**
 * What a service's routes read of the rest of a configuration: the other services' ports,
 * load balancers, split and empty clusters. Routes read nothing else but their VirtualService
 * and the caller's labels, so a service's routes can be kept from one translation to the next
 * while every one of these reads answers the same (see {@link RouteReads}).
 */
interface RouteInputs {
  /** The cluster a destination names, on a listener of {@code listenerPort}. */
  String clusterOf(WeightedDestination d, int listenerPort);

  /** The load balancer the DestinationRule of {@code fqdn} sets for {@code subset}. */
  Optional<LoadBalancerPolicy> loadBalancerOf(String fqdn, String subset);

  /** How {@code cluster} is served as an mTLS and a plaintext part; null when it is not. */
  MeshClusters.Split splitOf(String cluster);

  /** Whether {@code cluster} has no endpoints. */
  boolean isEmpty(String cluster);
}
