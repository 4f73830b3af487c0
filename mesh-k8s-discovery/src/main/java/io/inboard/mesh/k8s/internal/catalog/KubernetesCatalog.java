package io.inboard.mesh.k8s.internal.catalog;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.inboard.mesh.api.discovery.EndpointDiscovery;
import io.inboard.mesh.k8s.internal.SharedInformerDiscovery;
import java.time.Duration;

/**
 * Whole-namespace watches for a control plane: every Service with its ports and endpoints, and
 * every Istio resource, as immutable snapshots. Built on the same shared informers and
 * resolution as {@code KubernetesDiscovery}; resolution, outage handling and threading are as
 * documented there.
 */
public final class KubernetesCatalog implements AutoCloseable {

  private final SharedInformerDiscovery engine;

  private KubernetesCatalog(SharedInformerDiscovery engine) {
    this.engine = engine;
  }

  /**
   * Starts a catalog on {@code client}, which the caller keeps and closes after this catalog.
   *
   * @param debounce how long changes are collected before a snapshot is delivered (0 to 1
   *     minute; zero delivers after each pass of the discovery thread)
   */
  public static KubernetesCatalog start(KubernetesClient client, Duration debounce) {
    requireNonNull(client, "client");
    requireNonNull(debounce, "debounce");
    if (debounce.isNegative() || debounce.compareTo(Duration.ofMinutes(1)) > 0) {
      throw new IllegalArgumentException(
          "debounce: " + debounce + " (expected: 0 to 1 minute)");
    }
    return new KubernetesCatalog(new SharedInformerDiscovery(client, false, debounce.toMillis()));
  }

  /**
   * Watches every Service in {@code scope} with all its ports and their endpoints (pod labels,
   * zone, pod name and the pod's service account). {@code listener} gets a first catalog once
   * the informers have synced, then one whenever the catalog changes: changes are collected for
   * the debounce after the first of them, so a burst of events (a rollout, a relist after a
   * reconnect) gives one snapshot. A Service port whose endpoints are not known yet is listed
   * with none. Never blocks on the API.
   *
   * @throws IllegalStateException if this catalog is closed
   */
  public EndpointDiscovery.Subscription watchServices(NamespaceScope scope,
      ServiceCatalogListener listener) {
    return engine.watchCatalog(scope, listener);
  }

  /**
   * Watches the Istio resources of every {@link IstioKind} in {@code scope}, read as generic
   * custom resources. For each kind the first version in {@link IstioKind#versions()} that its
   * CustomResourceDefinition serves is watched (the API server converts resources written in
   * other versions); a kind whose CRD is not installed is skipped, and when the CRD cannot be
   * read {@code v1} is assumed. This needs {@code get} on customresourcedefinitions, and
   * {@code list} and {@code watch} on the Istio resources.
   *
   * <p>{@code listener} gets the whole set once the informers have synced, then again after
   * each change, debounced as for {@link #watchServices}. Never blocks on the API.
   *
   * @throws IllegalStateException if this catalog is closed
   */
  public EndpointDiscovery.Subscription watchIstioConfig(NamespaceScope scope,
      IstioConfigListener listener) {
    return engine.watchIstioConfig(scope, listener);
  }

  /** Informers running now, so tests can check that they are shared. */
  public int informerCount() {
    return engine.informerCount();
  }

  /** Stops every informer and the discovery thread; the client is not closed. */
  @Override
  public void close() {
    engine.close();
  }
}
