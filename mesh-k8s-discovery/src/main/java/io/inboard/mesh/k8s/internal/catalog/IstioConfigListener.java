package io.inboard.mesh.k8s.internal.catalog;

/**
 * Receives {@link IstioConfig} snapshots from {@link KubernetesCatalog#watchIstioConfig}.
 * Called on the discovery thread, one call at a time; it must not block for long.
 */
@FunctionalInterface
public interface IstioConfigListener {

  /** The Istio resources changed (or this is the first snapshot, once the informers synced). */
  void onIstioConfig(IstioConfig config);
}
