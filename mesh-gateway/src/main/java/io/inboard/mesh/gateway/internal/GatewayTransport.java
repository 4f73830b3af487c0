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

  /**
   * Whether upstream requests carry the downstream {@code Host} as header {@code host}: only
   * the Netty transport sends it (the JDK one refuses it and sends the endpoint's address, with
   * the authority in {@code x-forwarded-host}). The route engine copies requests with
   * {@code HttpRequest.newBuilder}, which accepts a {@code host} header only under
   * {@code -Djdk.httpclient.allowRestrictedHeaders=host}; {@code IngressGateway.main} sets it.
   */
  public static final boolean FORWARDS_HOST = KIND == TransportKind.NETTY;
}
