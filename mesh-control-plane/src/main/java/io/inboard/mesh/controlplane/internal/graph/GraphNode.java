package io.inboard.mesh.controlplane.internal.graph;

/**
 * A node of the service graph.
 *
 * @param id {@code <namespace>/<workload>} for a workload, {@code service:<namespace>/<name>}
 *     for a service whose workload is unknown (requests that failed before reaching one), or
 *     {@code unknown} for callers outside the mesh
 * @param nodeType {@code workload}, {@code service} or {@code unknown}
 * @param service the service's short name for a service node, else {@code ""}
 */
record GraphNode(String id, String nodeType, String namespace, String workload, String app,
    String version, String service) {

  static final String UNKNOWN_ID = "unknown";

  static GraphNode unknown() {
    return new GraphNode(UNKNOWN_ID, "unknown", "unknown", "unknown", "", "", "");
  }

  static GraphNode workload(String namespace, String workload, String app, String version) {
    return new GraphNode(namespace + "/" + workload, "workload", namespace, workload, app,
        version, "");
  }

  static GraphNode service(String namespace, String name) {
    return new GraphNode("service:" + namespace + "/" + name, "service", namespace, "", "", "",
        name);
  }
}
