package io.inboard.mesh.gateway.internal;

import io.inboard.mesh.http.internal.transport.netty.NettyIo;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http2.CleartextHttp2ServerUpgradeHandler;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ServerUpgradeCodec;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * One bound gateway port: HTTP/1.1 with keep-alive, and HTTP/2 over cleartext (prior knowledge
 * or {@code Upgrade: h2c}) or over TLS (ALPN {@code h2}); a TLS listener picks its chain (and
 * certificate) by SNI. Its config can be swapped while bound: new connections take the new
 * chains, open ones keep theirs.
 */
final class ListenerServer {

  private static final int MAX_HEADER_BYTES = 64 * 1024;

  /** Set once bound, before {@link #bind} returns. */
  private volatile Channel server;
  private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private volatile ListenerConfig config;

  private ListenerServer(ListenerConfig config) {
    this.config = config;
  }

  /**
   * Binds {@code host:<config.port>}; blocks until bound.
   *
   * @throws Exception the bind's failure
   */
  static ListenerServer bind(EventLoopGroup group, String host, ListenerConfig config)
      throws Exception {
    // made before the bind: a connection may be accepted before bind() returns
    ListenerServer self = new ListenerServer(config);
    self.server = new ServerBootstrap().group(group)
        .channel(NettyIo.serverSocketChannel(group))
        .option(ChannelOption.SO_REUSEADDR, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel c) {
            self.connections.add(c);
            self.init(c);
          }
        })
        .bind(new InetSocketAddress(host, config.port())).sync().channel();
    return self;
  }

  int localPort() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  ListenerConfig config() {
    return config;
  }

  void update(ListenerConfig c) {
    config = c;
  }

  private void init(SocketChannel c) {
    ListenerConfig cfg = config;
    if (cfg.tls()) {
      c.pipeline().addLast(new ChainSni(cfg));
    } else {
      cleartext(c.pipeline(), cfg.plaintext());
    }
  }

  private static void cleartext(ChannelPipeline p, ListenerChain chain) {
    HttpServerCodec codec = new HttpServerCodec(4096, MAX_HEADER_BYTES, 8192);
    HttpServerUpgradeHandler upgrade = new HttpServerUpgradeHandler(codec, protocol ->
        AsciiString.contentEquals(Http2CodecUtil.HTTP_UPGRADE_PROTOCOL_NAME, protocol)
            ? new Http2ServerUpgradeCodec(Http2FrameCodecBuilder.forServer().build(),
                new Http2Started(), multiplex(chain))
            : null, Exchange.REPLAY_LIMIT);
    p.addLast(new CleartextHttp2ServerUpgradeHandler(codec, upgrade,
        new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel c) {
            // prior knowledge: HTTP/2 from the first byte
            ProxyHandler h1 = c.pipeline().get(ProxyHandler.class);
            if (h1 != null) {
              c.pipeline().remove(h1);
            }
            c.pipeline().addLast(Http2FrameCodecBuilder.forServer().build(), multiplex(chain));
            c.config().setAutoRead(true);
          }
        }));
    p.addLast(new ProxyHandler(chain, false));
  }

  private static Http2MultiplexHandler multiplex(ListenerChain chain) {
    return new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
      @Override
      protected void initChannel(Http2StreamChannel s) {
        s.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true));
        s.pipeline().addLast(new ProxyHandler(chain, true));
      }
    });
  }

  /**
   * Marks a connection turned HTTP/2: the HTTP/1 handler goes, and the connection reads
   * continuously (each stream's own reads are on demand).
   */
  private static class Http2Started extends ChannelInboundHandlerAdapter {
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      ProxyHandler h1 = ctx.pipeline().get(ProxyHandler.class);
      if (h1 != null) {
        ctx.pipeline().remove(h1);
      }
      ctx.channel().config().setAutoRead(true);
      ctx.pipeline().remove(this);
    }
  }

  /** Chooses the chain by SNI, then HTTP/1.1 or HTTP/2 by ALPN. */
  private static final class ChainSni extends SniHandler {
    private final ListenerConfig cfg;

    ChainSni(ListenerConfig cfg) {
      super(host -> {
        ListenerChain c = cfg.forSni(host);
        return c == null ? null : c.ssl();
      });
      this.cfg = cfg;
    }

    @Override
    protected void replaceHandler(ChannelHandlerContext ctx, String hostname, SslContext ssl)
        throws Exception {
      ListenerChain chain = cfg.forSni(hostname);
      if (chain == null || ssl == null) {
        // no chain serves this name and there is no default: Envoy closes too
        ctx.close();
        return;
      }
      super.replaceHandler(ctx, hostname, ssl);
      ctx.pipeline().addLast(new ApplicationProtocolNegotiationHandler(
          ApplicationProtocolNames.HTTP_1_1) {
        @Override
        protected void configurePipeline(ChannelHandlerContext c, String protocol) {
          if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
            c.pipeline().addLast(Http2FrameCodecBuilder.forServer().build(), multiplex(chain));
          } else {
            c.pipeline().addLast(new HttpServerCodec(4096, MAX_HEADER_BYTES, 8192),
                new ProxyHandler(chain, false));
          }
        }
      });
    }
  }

  /**
   * Stops accepting, lets in-flight requests finish (HTTP/1.1 connections close after their
   * current response, HTTP/2 ones get a GOAWAY), and completes when the port is free.
   */
  CompletableFuture<Void> drain() {
    CompletableFuture<Void> closed = new CompletableFuture<>();
    server.close().addListener(f -> closed.complete(null));
    for (Channel c : connections) {
      c.eventLoop().execute(() -> {
        ProxyHandler h1 = ProxyHandler.of(c);
        if (h1 != null) {
          h1.drain();
        } else {
          c.close();
        }
      });
    }
    return closed;
  }

  /** Closes the port and every connection now. */
  void closeNow() {
    server.close();
    connections.close();
  }
}
