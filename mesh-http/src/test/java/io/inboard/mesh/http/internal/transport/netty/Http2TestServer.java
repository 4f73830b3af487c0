package io.inboard.mesh.http.internal.transport.netty;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real h2c (prior knowledge) server on 127.0.0.1 answering like a gRPC server: headers
 * ({@code content-type: application/grpc}), one DATA frame echoing the request's path, method,
 * authority and body size, then trailers {@code grpc-status: 0} and {@code grpc-message: ok}.
 * It holds every answer until {@code concurrency} requests are open at once, so a test passes
 * only if that many streams run concurrently. Path {@code /reset} is answered with
 * {@code RST_STREAM(INTERNAL_ERROR)}.
 */
final class Http2TestServer implements AutoCloseable {

  final AtomicInteger connectionsOpened = new AtomicInteger();
  final AtomicInteger connectionsClosed = new AtomicInteger();
  /** Requests whose headers arrived. */
  final AtomicInteger requestsReceived = new AtomicInteger();
  /** Streams the client closed (reset) before they were answered. */
  final AtomicInteger streamsAbandoned = new AtomicInteger();
  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel server;
  private final int concurrency;
  private final List<Runnable> held = new ArrayList<>(); // on the one loop only

  Http2TestServer(int concurrency) throws InterruptedException {
    this(concurrency, null);
  }

  /**
   * @param tls the server's TLS context (client certificates required, ALPN {@code h2} only),
   *     or {@code null} for h2c
   */
  Http2TestServer(int concurrency, SSLContext tls) throws InterruptedException {
    this.concurrency = concurrency;
    server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<>() {
          @Override
          protected void initChannel(Channel ch) {
            connectionsOpened.incrementAndGet();
            ch.closeFuture().addListener(f -> connectionsClosed.incrementAndGet());
            if (tls != null) {
              SSLEngine engine = tls.createSSLEngine();
              engine.setUseClientMode(false);
              SSLParameters p = engine.getSSLParameters();
              p.setNeedClientAuth(true);
              p.setApplicationProtocols(new String[] {"h2"});
              engine.setSSLParameters(p);
              ch.pipeline().addLast(new SslHandler(engine));
            }
            ch.pipeline().addLast(Http2FrameCodecBuilder.forServer().build(),
                new Http2MultiplexHandler(new ChannelInitializer<>() {
                  @Override
                  protected void initChannel(Channel stream) {
                    stream.pipeline().addLast(new StreamHandler());
                  }
                }));
          }
        })
        .bind("127.0.0.1", 0).sync().channel();
  }

  int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  @Override
  public void close() {
    server.close();
    group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
  }

  private final class StreamHandler extends ChannelInboundHandlerAdapter {
    private String summary;
    private long bodyBytes;
    private boolean answered;

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (!answered) {
        streamsAbandoned.incrementAndGet();
      }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      try {
        boolean end = false;
        if (msg instanceof Http2HeadersFrame h) {
          summary = h.headers().method() + " " + h.headers().path() + " "
              + h.headers().authority() + " te=" + h.headers().get("te");
          requestsReceived.incrementAndGet();
          end = h.isEndStream();
        } else if (msg instanceof Http2DataFrame d) {
          bodyBytes += d.content().readableBytes();
          end = d.isEndStream();
        }
        if (end && summary.contains(" /reset ")) {
          answered = true;
          ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.INTERNAL_ERROR));
        } else if (end) {
          held.add(() -> answer(ctx));
          if (held.size() >= concurrency) {
            held.forEach(Runnable::run);
            held.clear();
          }
        }
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }

    private void answer(ChannelHandlerContext ctx) {
      if (!ctx.channel().isActive()) {
        return;
      }
      answered = true;
      ctx.write(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200")
          .set("content-type", "application/grpc")));
      ctx.write(new DefaultHttp2DataFrame(Unpooled.copiedBuffer(
          summary + " body=" + bodyBytes, StandardCharsets.UTF_8)));
      ctx.writeAndFlush(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers()
          .set("grpc-status", "0").set("grpc-message", "ok"), true));
    }
  }
}
