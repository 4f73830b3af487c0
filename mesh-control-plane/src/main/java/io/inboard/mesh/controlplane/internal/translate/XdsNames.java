package io.inboard.mesh.controlplane.internal.translate;

/**
 * Names of the xDS resources served for a service port. A grpc-xds client dialling
 * {@code xds:///reviews.default.svc.cluster.local:9080} asks for the Listener of that exact
 * name; clusters follow Istio's {@code outbound|port|subset|host} so that config dumps read
 * like Istio's.
 */
public final class XdsNames {
  private XdsNames() {}

  /** {@code reviews.default.svc.cluster.local:9080}: the Listener, RouteConfiguration and virtual host. */
  public static String listener(String fqdn, int port) {
    return fqdn + ":" + port;
  }

  /** {@code outbound|9080|v1|reviews.default.svc.cluster.local}; subset {@code ""} for all endpoints. */
  public static String cluster(int port, String subset, String fqdn) {
    return "outbound|" + port + "|" + subset + "|" + fqdn;
  }
}
