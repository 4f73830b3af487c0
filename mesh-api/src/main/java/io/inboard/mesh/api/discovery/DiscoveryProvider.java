package io.inboard.mesh.api.discovery;

import io.inboard.mesh.api.Mesh;

/**
 * Creates an {@link EndpointDiscovery} for a {@link io.inboard.mesh.api.DiscoveryMode}. Found
 * with {@link java.util.ServiceLoader}, so that adding {@code mesh-k8s-discovery} to the class
 * path is all {@code DiscoveryMode.KUBERNETES} needs.
 */
public interface DiscoveryProvider {

  /** The mode this provider serves. */
  io.inboard.mesh.api.DiscoveryMode mode();

  /** Creates a discovery for the given mesh's workload; the mesh closes it. */
  EndpointDiscovery create(Mesh.Settings settings);
}
