package io.inboard.mesh.grpc.internal.tls;

import static java.util.Objects.requireNonNull;

import io.grpc.netty.GrpcHttp2ConnectionHandler;
import io.grpc.netty.InternalProtocolNegotiator;
import io.grpc.netty.InternalProtocolNegotiators;
import io.grpc.netty.ProtocolNegotiationEvent;
import io.inboard.mesh.security.internal.inbound.MtlsMode;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.util.AsciiString;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntFunction;

/**
 * grpc-netty's protocol negotiator for a mesh server: per accepted connection it reads the mTLS
 * mode of the port the connection arrived on, so a PeerAuthentication change applies to the
 * next connection without a restart.
 *
 * <ul>
 *   <li>{@code STRICT}: TLS requiring a client certificate; a plaintext client fails.
 *   <li>{@code PERMISSIVE}: waits for the first 3 bytes; a TLS record header ({@code 0x16 0x03
 *       0x01..0x04}) gets TLS requiring a client certificate, anything else plaintext.
 *   <li>{@code DISABLE}, or no TLS context (a mesh without identity): plaintext.
 * </ul>
 *
 * <p>When the policy changes, {@link #closeDisallowed()} closes the connections the new mode no
 * longer admits (plaintext ones on a port now STRICT, TLS ones on a port now DISABLE), as Envoy
 * drains the listener's old filter chains: tightening a policy never leaves an old plaintext
 * connection open.
 *
 * <p>A peer that never sends 3 bytes is closed by the server's {@code handshakeTimeout}, which
 * covers the whole negotiation, sniffing included.
 */
public final class MeshServerNegotiator implements InternalProtocolNegotiator.ProtocolNegotiator {

  private final SslContext mtls;
  private final IntFunction<MtlsMode> modeOfPort;
  private final InternalProtocolNegotiator.ProtocolNegotiator tls;
  private final InternalProtocolNegotiator.ProtocolNegotiator plaintext =
      InternalProtocolNegotiators.serverPlaintext();
  // open connections, and whether each is TLS; removed when they close
  private final Map<Channel, Boolean> connections = new ConcurrentHashMap<>();
  private final List<Runnable> onClose = new CopyOnWriteArrayList<>();

  /**
   * @param mtls the server context (ALPN h2, client certificate required), or {@code null} when
   *     the workload has no identity: then every connection is plaintext
   * @param modeOfPort the mode in force for a local port, asked once per connection
   */
  public MeshServerNegotiator(SslContext mtls, IntFunction<MtlsMode> modeOfPort) {
    this.mtls = mtls;
    this.modeOfPort = requireNonNull(modeOfPort, "modeOfPort");
    this.tls = mtls == null ? null : InternalProtocolNegotiators.serverTls(mtls);
  }

  @Override
  public AsciiString scheme() {
    // not read on the server side
    return AsciiString.of(mtls == null ? "http" : "https");
  }

  @Override
  public ChannelHandler newHandler(GrpcHttp2ConnectionHandler grpcHandler) {
    return new Chooser(grpcHandler);
  }

  /** Runs {@code action} when grpc closes this negotiator (the server shut down). */
  public void onClose(Runnable action) {
    onClose.add(requireNonNull(action, "action"));
  }

  /**
   * Closes every open connection that the mode now in force on its port does not admit.
   *
   * @return how many were closed
   */
  public int closeDisallowed() {
    int closed = 0;
    for (Map.Entry<Channel, Boolean> c : connections.entrySet()) {
      if (!mode(c.getKey().localAddress()).admits(c.getValue())) {
        c.getKey().close();
        closed++;
      }
    }
    return closed;
  }

  @Override
  public void close() {
    onClose.forEach(Runnable::run);
    if (tls != null) {
      tls.close();
    }
    plaintext.close();
  }

  static boolean looksLikeTls(ByteBuf in) {
    int i = in.readerIndex();
    return in.getUnsignedByte(i) == 0x16 // handshake record
        && in.getUnsignedByte(i + 1) == 0x03 // record version major
        && in.getUnsignedByte(i + 2) >= 0x01 && in.getUnsignedByte(i + 2) <= 0x04;
  }

  private MtlsMode mode(SocketAddress local) {
    if (tls == null) {
      return MtlsMode.DISABLE;
    }
    return local instanceof InetSocketAddress a ? modeOfPort.apply(a.getPort())
        : modeOfPort.apply(-1);
  }

  /**
   * Sits where grpc put the negotiator's handler. It receives the {@link
   * ProtocolNegotiationEvent} (PNE) before any byte, keeps it, and hands it to grpc's TLS or
   * plaintext negotiator once it knows which one the connection needs.
   */
  private final class Chooser extends ByteToMessageDecoder {
    private final GrpcHttp2ConnectionHandler grpcHandler;
    private ProtocolNegotiationEvent pne;

    Chooser(GrpcHttp2ConnectionHandler grpcHandler) {
      this.grpcHandler = grpcHandler;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
      if (!(evt instanceof ProtocolNegotiationEvent event)) {
        super.userEventTriggered(ctx, evt);
        return;
      }
      pne = event;
      switch (mode(ctx.channel().localAddress())) {
        case STRICT -> handOver(ctx, tls);
        case DISABLE -> handOver(ctx, plaintext);
        case PERMISSIVE -> {
          // wait for the first bytes (decode)
        }
      }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
      if (in.readableBytes() < 3) {
        return;
      }
      if (pne == null) {
        throw new IllegalStateException("bytes before the ProtocolNegotiationEvent: grpc-netty"
            + " changed its negotiation order (MeshServerNegotiatorContractTest pins it)");
      }
      handOver(ctx, looksLikeTls(in) ? tls : plaintext);
    }

    /**
     * Puts grpc's negotiator right after this handler, gives it the PNE (the TLS one adds its
     * SslHandler, still after this one), then removes this handler, which forwards the bytes it
     * buffered. Not {@code pipeline().replace(..)}: that forwards the bytes before the TLS
     * negotiator has added its SslHandler, and every TLS client fails.
     */
    private void handOver(ChannelHandlerContext ctx,
        InternalProtocolNegotiator.ProtocolNegotiator next) {
      Channel channel = ctx.channel();
      connections.put(channel, next == tls);
      channel.closeFuture().addListener(f -> connections.remove(channel));
      ctx.pipeline().addAfter(ctx.name(), null, next.newHandler(grpcHandler));
      ProtocolNegotiationEvent event = pne;
      pne = null;
      ctx.fireUserEventTriggered(event);
      ctx.pipeline().remove(this);
    }
  }
}
