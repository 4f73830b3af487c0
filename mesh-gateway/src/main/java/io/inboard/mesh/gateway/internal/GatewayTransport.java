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

  /** {@link TransportKind#NETTY}: HTTP/1.1 and HTTP/2, trailers, the downstream authority. */
  public static final TransportKind KIND = TransportKind.NETTY;
}
