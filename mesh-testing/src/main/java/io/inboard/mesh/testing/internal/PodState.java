package io.inboard.mesh.testing.internal;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * A declared Pod as the fake endpoints controller sees it.
 *
 * @param name the Pod name
 * @param namespace its namespace
 * @param ip the pod IP; {@code ""} while unscheduled (the controller then skips it)
 * @param labels the pod labels
 * @param containerPorts container port name to number, used to resolve named target ports
 * @param zone the topology zone written to the endpoint, or {@code ""}
 * @param nodeName the node written to the endpoint, or {@code ""}
 * @param ready whether the pod's Ready condition is true
 * @param terminating whether the pod is shutting down (has a deletion timestamp)
 * @param serviceAccount the pod's service account, or {@code ""} for none named (the API server
 *     would fill in {@code default})
 */
public record PodState(
    String name,
    String namespace,
    String ip,
    Map<String, String> labels,
    Map<String, Integer> containerPorts,
    String zone,
    String nodeName,
    boolean ready,
    boolean terminating,
    String serviceAccount) {

  public PodState {
    requireNonNull(name, "name");
    requireNonNull(namespace, "namespace");
    requireNonNull(ip, "ip");
    labels = Map.copyOf(requireNonNull(labels, "labels"));
    containerPorts = Map.copyOf(requireNonNull(containerPorts, "containerPorts"));
    requireNonNull(zone, "zone");
    requireNonNull(nodeName, "nodeName");
    requireNonNull(serviceAccount, "serviceAccount");
  }

  public PodState withReady(boolean newReady) {
    return new PodState(
        name, namespace, ip, labels, containerPorts, zone, nodeName, newReady, terminating,
        serviceAccount);
  }

  public PodState withTerminating() {
    return new PodState(
        name, namespace, ip, labels, containerPorts, zone, nodeName, ready, true, serviceAccount);
  }
}
