package io.inboard.mesh.controlplane.internal.graph;

/**
 * A connected workload that announced its admin server ({@code INBOARD_ADMIN_ADDRESS}).
 *
 * @param nodeId its xDS node id
 * @param address {@code host:port} of its admin server
 */
record ScrapeTarget(String nodeId, String namespace, String workload, String address) {

  /** The key its scrapes are kept under: a new address (a restart) starts a new history. */
  String key() {
    return nodeId + "@" + address;
  }
}
