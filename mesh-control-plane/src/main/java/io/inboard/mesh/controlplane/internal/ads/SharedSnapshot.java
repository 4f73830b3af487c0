package io.inboard.mesh.controlplane.internal.ads;

import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.envoyproxy.controlplane.cache.SnapshotResources;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import java.util.Map;

/**
 * A snapshot made of {@link SnapshotResources} that other groups' snapshots, and the group's
 * next snapshot, may hold too: {@code Snapshot.create} would build (and hash) every type's
 * resource maps again for each group, and give all four types one version.
 */
final class SharedSnapshot extends Snapshot {
  private final SnapshotResources<Cluster> clusters;
  private final SnapshotResources<ClusterLoadAssignment> endpoints;
  private final SnapshotResources<Listener> listeners;
  private final SnapshotResources<RouteConfiguration> routes;
  private final SnapshotResources<Secret> secrets;

  SharedSnapshot(SnapshotResources<Cluster> clusters,
      SnapshotResources<ClusterLoadAssignment> endpoints, SnapshotResources<Listener> listeners,
      SnapshotResources<RouteConfiguration> routes, SnapshotResources<Secret> secrets) {
    this.clusters = clusters;
    this.endpoints = endpoints;
    this.listeners = listeners;
    this.routes = routes;
    this.secrets = secrets;
  }

  @Override
  public SnapshotResources<Cluster> clusters() {
    return clusters;
  }

  @Override
  public SnapshotResources<ClusterLoadAssignment> endpoints() {
    return endpoints;
  }

  @Override
  public SnapshotResources<Listener> listeners() {
    return listeners;
  }

  @Override
  public SnapshotResources<RouteConfiguration> routes() {
    return routes;
  }

  @Override
  public SnapshotResources<Secret> secrets() {
    return secrets;
  }

  // Snapshot and v3.Snapshot declare this with different type arguments; java-control-plane's
  // own subclass is generated, so a hand-written one must restate it
  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public Map versionedResources(ResourceType type) {
    return super.versionedResources(type);
  }
}
