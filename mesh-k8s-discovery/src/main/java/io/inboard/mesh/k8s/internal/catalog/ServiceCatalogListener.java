package io.inboard.mesh.k8s.internal.catalog;

/**
 * Receives {@link ServiceCatalog} snapshots from {@link KubernetesCatalog#watchServices}.
 * Called on the discovery thread, one call at a time; it must not block.
 */
@FunctionalInterface
public interface ServiceCatalogListener {

  /** The catalog changed (or this is the first one, once the informers have synced). */
  void onCatalog(ServiceCatalog catalog);
}
