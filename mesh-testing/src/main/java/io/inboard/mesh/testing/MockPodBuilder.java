package io.inboard.mesh.testing;

import static java.util.Objects.requireNonNull;

import io.inboard.mesh.testing.internal.PodState;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Declares a Pod in a {@link MockCluster}. Creating a Pod that already exists replaces it (its
 * terminating state is reset), which is how a test changes a pod's labels or IP.
 */
public final class MockPodBuilder {

  private final MockCluster cluster;
  private final String name;
  private final String namespace;
  private String ip = "";
  private final Map<String, String> labels = new LinkedHashMap<>();
  private final Map<String, Integer> containerPorts = new LinkedHashMap<>();
  private String zone = "";
  private String nodeName = "";
  private boolean ready = true;
  private String serviceAccount = "";

  MockPodBuilder(MockCluster cluster, String name, String namespace) {
    this.cluster = cluster;
    this.name = name;
    this.namespace = namespace;
  }

  /**
   * The pod IP, such as {@code 127.0.0.2} (any loopback address works for local servers).
   * Default: none, and a pod without an IP is in no EndpointSlice, as if it were unscheduled.
   */
  public MockPodBuilder ip(String ip) {
    this.ip = requireNonNull(ip, "ip");
    return this;
  }

  /** Adds a label, such as {@code app=reviews} or {@code version=v1}. */
  public MockPodBuilder label(String key, String value) {
    labels.put(requireNonNull(key, "key"), requireNonNull(value, "value"));
    return this;
  }

  /** Adds a named container port; Services with a named target port resolve through it. */
  public MockPodBuilder containerPort(String name, int port) {
    requireNonNull(name, "name");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("containerPort: " + port + " (expected: 1..65535)");
    }
    containerPorts.put(name, port);
    return this;
  }

  /** The topology zone written to the pod's endpoints (default: none). */
  public MockPodBuilder zone(String zone) {
    this.zone = requireNonNull(zone, "zone");
    return this;
  }

  /** The node written to the pod's endpoints and spec (default: none). */
  public MockPodBuilder nodeName(String nodeName) {
    this.nodeName = requireNonNull(nodeName, "nodeName");
    return this;
  }

  /** Whether the pod's Ready condition is true (default {@code true}). */
  public MockPodBuilder ready(boolean ready) {
    this.ready = ready;
    return this;
  }

  /** The pod's {@code spec.serviceAccountName} (default: none named). */
  public MockPodBuilder serviceAccount(String serviceAccount) {
    this.serviceAccount = requireNonNull(serviceAccount, "serviceAccount");
    return this;
  }

  /** Writes the Pod and updates the EndpointSlices of every Service that selects it. */
  public void create() {
    cluster.putPod(new PodState(
        name, namespace, ip, labels, containerPorts, zone, nodeName, ready, false,
        serviceAccount));
  }
}
