package io.inboard.mesh.http;

import io.inboard.mesh.http.internal.transport.TransportKind;
import io.netty.channel.EventLoopGroup;

/**
 * Builder settings for Inboard's own modules (the ingress gateway, benchmarks), not for
 * applications: they may change in any release.
 */
public final class InternalMeshHttpClientBuilder {
  private InternalMeshHttpClientBuilder() {}

  /**
   * What sends the client's tries (default {@link TransportKind#JDK}). With
   * {@link TransportKind#NETTY} the tries and their completions run on the client's event loops
   * (see {@link #eventLoops}), not on the builder's {@code executor}, which is then unused.
   */
  public static MeshHttpClientBuilder transport(MeshHttpClientBuilder builder, TransportKind kind) {
    builder.transport(kind);
    return builder;
  }

  /**
   * The event loops the {@link TransportKind#NETTY} transport runs on (default: a group of one
   * loop per CPU, epoll where available, on daemon threads {@code inboard-http-netty-*}, shut
   * down with the mesh). A try sent from one of {@code group}'s loops uses that loop's
   * connections, so the gateway's downstream and upstream channels share a thread. The caller
   * owns {@code group} (it must be an epoll or NIO group) and shuts it down.
   */
  public static MeshHttpClientBuilder eventLoops(MeshHttpClientBuilder builder,
      EventLoopGroup group) {
    builder.eventLoops(group);
    return builder;
  }
}
