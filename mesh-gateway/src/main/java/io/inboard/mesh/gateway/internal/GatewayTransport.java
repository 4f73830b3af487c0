package io.inboard.mesh.gateway.internal;

import io.inboard.mesh.http.internal.transport.TransportKind;

/**
 * What sends the gateway's upstream tries: the library's route engine over Netty channels, on
 * the gateway's own event loops. Measured against the JDK client in BENCHMARKS.md ("Ingress
 * gateway"): the JDK client's per-request cost and its lack of trailers (gRPC's status) rule it
 * out on the proxy's hot path.
 */
public final class GatewayTransport {
  private GatewayTransport() {}

  /**
   * {@link TransportKind#NETTY}: HTTP/1.1 and HTTP/2, trailers, the downstream authority. The
   * system property {@code inboard.gateway.transport=jdk} selects the JDK client instead, for
   * the benchmark's comparison only (no gRPC, and backends see the endpoint as {@code Host}).
   */
  public static final TransportKind KIND =
      "jdk".equals(System.getProperty("inboard.gateway.transport"))
          ? TransportKind.JDK : TransportKind.NETTY;
}
