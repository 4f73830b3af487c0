package io.inboard.mesh.controlplane.internal.translate;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.util.List;

/** One full set of xDS resources, served to every client as one snapshot. */
public record XdsResources(List<Listener> listeners, List<RouteConfiguration> routes,
    List<Cluster> clusters, List<ClusterLoadAssignment> assignments) {
  public XdsResources {
    listeners = List.copyOf(listeners);
    routes = List.copyOf(routes);
    clusters = List.copyOf(clusters);
    assignments = List.copyOf(assignments);
  }
}
