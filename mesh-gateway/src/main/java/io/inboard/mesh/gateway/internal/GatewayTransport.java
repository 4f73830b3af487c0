package io.inboard.mesh.gateway.internal;

import io.inboard.mesh.http.internal.transport.TransportKind;

/** What sends the gateway's upstream tries: the one line to change for the Netty transport. */
public final class GatewayTransport {
  private GatewayTransport() {}

  /**
   * {@link TransportKind#JDK} until the Netty transport lands; then {@link TransportKind#NETTY}
   * (which also forwards the downstream {@code Host} and response trailers).
   */
  public static final TransportKind KIND = TransportKind.JDK;
}
