package io.inboard.mesh.grpc.internal.telemetry;

/**
 * Istio's cluster names, as Envoy logs them ({@code %UPSTREAM_CLUSTER_RAW%}) and labels its
 * cluster stats: {@code outbound|<port>|<subset>|<fqdn>} for a client, {@code inbound|<port>||}
 * for a server.
 */
public final class IstioClusters {

  private IstioClusters() {}

  /**
   * A client's cluster to {@code fqdn}, without a subset; the port is left empty when the
   * caller named none ({@code port <= 0}), as Inboard cannot know which service port the
   * resolver picked.
   */
  public static String outbound(int port, String fqdn) {
    return "outbound|" + (port > 0 ? Integer.toString(port) : "") + "||" + fqdn;
  }

  /** A server's cluster for its port {@code port}. */
  public static String inbound(int port) {
    return "inbound|" + port + "||";
  }
}
