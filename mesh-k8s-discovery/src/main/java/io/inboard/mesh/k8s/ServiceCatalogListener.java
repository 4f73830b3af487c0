package io.inboard.mesh.k8s;

/**
 * Receives {@link ServiceCatalog} snapshots from {@link KubernetesDiscovery#watchServices}.
 * Called on the discovery thread, one call at a time; it must not block.
 */
@FunctionalInterface
public interface ServiceCatalogListener {

  /** The catalog changed (or this is the first one, once the informers have synced). */
  void onCatalog(ServiceCatalog catalog);
}
