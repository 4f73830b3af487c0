package io.inboard.mesh.controlplane.internal.graph;

import java.util.List;
import java.util.Map;

/**
 * The graph of one window: nodes, the edges between them, and each node's health from the
 * requests it received.
 *
 * @param nodes ordered by id
 * @param edges ordered by source, target and protocol
 * @param nodeHealth node id to the health of its inbound requests (healthy without any)
 */
record ServiceGraph(List<GraphNode> nodes, List<GraphEdge> edges,
    Map<String, Health> nodeHealth) {
  ServiceGraph {
    nodes = List.copyOf(nodes);
    edges = List.copyOf(edges);
    nodeHealth = Map.copyOf(nodeHealth);
  }
}
