package io.inboard.mesh.controlplane;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * One endpoint of a service, registered with the control plane by hand (static registration).
 *
 * @param host the service's fully qualified name, for example
 *     {@code reviews.default.svc.cluster.local}
 * @param port the service port clients call, for example {@code 9080}
 * @param address the endpoint's IP address (the endpoint listens on {@code port})
 * @param labels the workload's labels, matched by DestinationRule subsets
 */
public record ServiceEndpoint(String host, int port, String address, Map<String, String> labels) {
  public ServiceEndpoint {
    requireNonNull(host, "host");
    requireNonNull(address, "address");
    labels = Map.copyOf(requireNonNull(labels, "labels"));
    if (host.isBlank() || host.contains(":")) {
      throw new IllegalArgumentException(
          "host: '" + host + "' (expected: a fully qualified service name without port)");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port: " + port + " (expected: 1..65535)");
    }
    if (address.isBlank()) {
      throw new IllegalArgumentException("address: '' (expected: an IP address)");
    }
  }
}
