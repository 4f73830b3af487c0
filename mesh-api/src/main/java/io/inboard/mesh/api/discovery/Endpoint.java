package io.inboard.mesh.api.discovery;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * One network endpoint of a service: usually a pod's address and the resolved target port.
 *
 * <p>The conditions follow EndpointSlice {@code discovery.k8s.io/v1}: {@code ready} means the
 * endpoint should receive new traffic; {@code serving} means it passes readiness even while
 * {@code terminating}. A custom {@link EndpointDiscovery} builds them with
 * {@link #builder(String, int)} or {@link #ready(String, int)}.
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
    return builder(address, port).build();
  }

  /**
   * Starts an endpoint at {@code address:port} that is ready and serving, not terminating, with
   * no pod name, zone or labels (see each setter).
   */
  public static Builder builder(String address, int port) {
    return new Builder(address, port);
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

  /** Builds an {@link Endpoint}; values are checked by {@link #build()}. */
  public static final class Builder {
    private final String address;
    private final int port;
    private boolean ready = true;
    private boolean serving = true;
    private boolean terminating;
    private String podName = "";
    private String zone = "";
    private Map<String, String> labels = Map.of();

    private Builder(String address, int port) {
      this.address = requireNonNull(address, "address");
      this.port = port;
    }

    /** Whether the endpoint takes new traffic (default {@code true}). */
    public Builder ready(boolean ready) {
      this.ready = ready;
      return this;
    }

    /** Whether the endpoint passes readiness, regardless of termination (default {@code true}). */
    public Builder serving(boolean serving) {
      this.serving = serving;
      return this;
    }

    /** Whether the endpoint is shutting down (default {@code false}). */
    public Builder terminating(boolean terminating) {
      this.terminating = terminating;
      return this;
    }

    /** The backing pod's name (default {@code ""}, unknown). */
    public Builder podName(String podName) {
      this.podName = requireNonNull(podName, "podName");
      return this;
    }

    /** The topology zone (default {@code ""}, unknown). */
    public Builder zone(String zone) {
      this.zone = requireNonNull(zone, "zone");
      return this;
    }

    /** The backing pod's labels (default: none). */
    public Builder labels(Map<String, String> labels) {
      this.labels = requireNonNull(labels, "labels");
      return this;
    }

    /**
     * The endpoint.
     *
     * @throws IllegalArgumentException for a port outside 1..65535
     */
    public Endpoint build() {
      return new Endpoint(address, port, ready, serving, terminating, podName, zone, labels);
    }
  }
}
