package io.inboard.mesh.k8s;

import io.inboard.mesh.api.DiscoveryMode;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.discovery.DiscoveryProvider;
import io.inboard.mesh.api.discovery.EndpointDiscovery;

/**
 * Serves {@link DiscoveryMode#KUBERNETES} to {@code Mesh.builder().build()}, found through
 * {@link java.util.ServiceLoader}. The discovery it creates uses a default fabric8 client (the
 * pod's service account, or the kubeconfig outside a cluster) and the mesh's cluster domain.
 */
public final class KubernetesDiscoveryProvider implements DiscoveryProvider {

  /** Called by {@link java.util.ServiceLoader}. */
  public KubernetesDiscoveryProvider() {}

  @Override
  public DiscoveryMode mode() {
    return DiscoveryMode.KUBERNETES;
  }

  @Override
  public EndpointDiscovery create(Mesh.Settings settings) {
    return KubernetesDiscovery.builder().clusterDomain(settings.clusterDomain()).build();
  }
}
