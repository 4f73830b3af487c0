package io.inboard.mesh.controlplane;

import static java.util.Objects.requireNonNull;

/**
 * A port of a service as clients call it: {@code xds:///<host>:<port>}. The control plane serves
 * a Listener, a RouteConfiguration and clusters for every service port it knows, whether or not
 * it has endpoints (see {@link ControlPlane} for when a service port is known).
 *
 * @param host the service's fully qualified name, for example
 *     {@code reviews.default.svc.cluster.local}
 * @param port the service port clients call, 1..65535
 */
public record ServicePort(String host, int port) implements Comparable<ServicePort> {
  public ServicePort {
    requireNonNull(host, "host");
    if (host.isBlank() || host.contains(":")) {
      throw new IllegalArgumentException(
          "host: '" + host + "' (expected: a fully qualified service name without port)");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port: " + port + " (expected: 1..65535)");
    }
  }

  /** Orders by host, then port, so that translation is deterministic. */
  @Override
  public int compareTo(ServicePort o) {
    int c = host.compareTo(o.host);
    return c != 0 ? c : Integer.compare(port, o.port);
  }

  /** {@code host:port}, the name of the service port's Listener. */
  @Override
  public String toString() {
    return host + ":" + port;
  }
}
