package io.inboard.mesh.api.discovery;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * One network endpoint of a service: usually a pod's address and the resolved target port.
 *
 * <p>The conditions follow EndpointSlice {@code discovery.k8s.io/v1}: {@code ready} means the
 * endpoint should receive new traffic; {@code serving} means it passes readiness even while
 * {@code terminating}.
 *
 * @param address the IP address (or host name) to connect to
 * @param port the resolved target port
 * @param ready whether the endpoint takes new traffic
 * @param serving whether the endpoint passes readiness, regardless of termination
 * @param terminating whether the endpoint is shutting down
 * @param podName the backing pod's name, or {@code ""} when unknown
 * @param zone the topology zone, or {@code ""} when unknown
 * @param labels the backing pod's labels ({@code app}, {@code version}, ...); empty when unknown
 */
public record Endpoint(
    String address,
    int port,
    boolean ready,
    boolean serving,
    boolean terminating,
    String podName,
    String zone,
    Map<String, String> labels) {

  public Endpoint {
    requireNonNull(address, "address");
    requireNonNull(podName, "podName");
    requireNonNull(zone, "zone");
    labels = Map.copyOf(requireNonNull(labels, "labels"));
    if (port <= 0 || port > 65535) {
      throw new IllegalArgumentException("port: " + port + " (expected: 1..65535)");
    }
  }

  /** A ready, serving endpoint with no pod metadata: handy for static discovery and tests. */
  public static Endpoint ready(String address, int port) {
    return new Endpoint(address, port, true, true, false, "", "", Map.of());
  }

  /** {@code address:port}, bracketing IPv6 addresses. */
  public String authority() {
    return address.indexOf(':') >= 0 ? "[" + address + "]:" + port : address + ":" + port;
  }

  /** Whether every label in {@code selector} is present here with the same value. */
  public boolean matches(Map<String, String> selector) {
    for (Map.Entry<String, String> e : selector.entrySet()) {
      if (!e.getValue().equals(labels.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }
}
