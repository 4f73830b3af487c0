package io.inboard.mesh.controlplane.internal.translate;

import io.inboard.mesh.api.internal.MeshXdsNames;

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

  /**
   * The plaintext part of cluster {@code cluster} when its endpoints are mixed (see {@link
   * MeshClusters}): the name plus {@value MeshXdsNames#PLAINTEXT_CLUSTER_SUFFIX}.
   */
  public static String plaintextPart(String cluster) {
    return cluster + MeshXdsNames.PLAINTEXT_CLUSTER_SUFFIX;
  }

  /** Istio's SNI for mesh mTLS: {@code outbound_.9080_.v1_.reviews.default.svc.cluster.local}. */
  public static String sni(int port, String subset, String fqdn) {
    return "outbound_." + port + "_." + subset + "_." + fqdn;
  }

  /** The SPIFFE ID of service account {@code sa} in {@code namespace}. */
  public static String spiffeId(String trustDomain, String namespace, String sa) {
    return "spiffe://" + trustDomain + "/ns/" + namespace + "/sa/" + sa;
  }

  /** A gateway's listener on {@code port}, as Istio names it: {@code 0.0.0.0_8080}. */
  public static String gatewayListener(int port) {
    return "0.0.0.0_" + port;
  }

  /** The RouteConfiguration of a gateway's plaintext HTTP servers on {@code port}: {@code http.8080}. */
  public static String gatewayHttpRoutes(int port) {
    return "http." + port;
  }

  /**
   * The RouteConfiguration of one HTTPS server, as Istio names it: {@code
   * https.<port>.<portName>.<gatewayName>.<gatewayNamespace>}.
   */
  public static String gatewayHttpsRoutes(int port, String portName, String gateway,
      String namespace) {
    return "https." + port + "." + portName + "." + gateway + "." + namespace;
  }

  private static final java.util.regex.Pattern GATEWAY_RESOURCE = java.util.regex.Pattern
      .compile("0\\.0\\.0\\.0_\\d+|http\\.\\d+|https\\.\\d+\\.[^:]+");

  /**
   * Whether {@code name} is a gateway listener or RouteConfiguration name (never a mesh one:
   * those hold a {@code :}). Their absence from a snapshot means "closed", which a gateway
   * must be told, so the ADS cache answers a request naming an absent one (see {@code
   * AdsSnapshotCache}).
   */
  public static boolean isGatewayResource(String name) {
    return GATEWAY_RESOURCE.matcher(name).matches();
  }
}
