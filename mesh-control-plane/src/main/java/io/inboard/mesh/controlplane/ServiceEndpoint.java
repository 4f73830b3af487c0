package io.inboard.mesh.controlplane;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * One endpoint of a service port: where calls to {@code <host>:<port>} may go.
 *
 * <p>The service port and the target port differ as in a Kubernetes Service: clients dial
 * {@code xds:///reviews.default.svc.cluster.local:80}, the Listener and clusters are named after
 * port 80, and EDS sends the endpoint as {@code address:targetPort}, the port the workload
 * listens on.
 *
 * @param host the service's fully qualified name, for example
 *     {@code reviews.default.svc.cluster.local}
 * @param port the service port clients call, for example {@code 9080}
 * @param address the endpoint's IP address
 * @param targetPort the port the endpoint listens on (1..65535); equal to {@code port} when made
 *     with {@link #ServiceEndpoint(String, int, String, Map)}
 * @param labels the workload's labels, matched by DestinationRule subsets
 * @param serviceAccount the workload's Kubernetes service account, or {@code ""} when unknown
 * @param zone the topology zone the endpoint runs in, or {@code ""} when unknown; EDS puts the
 *     endpoints of each zone in their own locality, which clients use for locality-aware
 *     priority
 */
public record ServiceEndpoint(String host, int port, String address, int targetPort,
    Map<String, String> labels, String serviceAccount, String zone) {
  public ServiceEndpoint {
    requireNonNull(host, "host");
    requireNonNull(zone, "zone");
    requireNonNull(address, "address");
    requireNonNull(serviceAccount, "serviceAccount");
    labels = Map.copyOf(requireNonNull(labels, "labels"));
    new ServicePort(host, port); // validates host and port alike
    if (targetPort < 1 || targetPort > 65535) {
      throw new IllegalArgumentException("targetPort: " + targetPort + " (expected: 1..65535)");
    }
    if (address.isBlank()) {
      throw new IllegalArgumentException("address: '' (expected: an IP address)");
    }
  }

  /** An endpoint in no particular zone. */
  public ServiceEndpoint(String host, int port, String address, int targetPort,
      Map<String, String> labels, String serviceAccount) {
    this(host, port, address, targetPort, labels, serviceAccount, "");
  }

  /**
   * An endpoint listening on the service port itself, with no service account and no zone: the
   * shape of a static registration.
   */
  public ServiceEndpoint(String host, int port, String address, Map<String, String> labels) {
    this(host, port, address, port, labels, "", "");
  }

  /** This endpoint in {@code zone}. */
  public ServiceEndpoint inZone(String zone) {
    return new ServiceEndpoint(host, port, address, targetPort, labels, serviceAccount, zone);
  }

  /** The service port this endpoint serves. */
  public ServicePort servicePort() {
    return new ServicePort(host, port);
  }
}
