package io.inboard.mesh.http.internal.transport.netty;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real HTTP/1.1 keep-alive server on 127.0.0.1 for the transport's tests. Paths: {@code /}
 * answers "hello" with the request's {@code Host} in {@code x-host}; {@code /upload} counts the
 * body's bytes as they arrive and answers the count; {@code /big?N} streams N bytes while the
 * connection is writable (counting what reached the socket); {@code /head-then-hold} sends the
 * head and 4 bytes, then nothing; {@code /hold} never answers.
 */
final class Http1TestServer implements AutoCloseable {

  final AtomicInteger connectionsOpened = new AtomicInteger();
  final AtomicInteger connectionsClosed = new AtomicInteger();
  final AtomicLong uploadReceived = new AtomicLong();
  final AtomicLong bigWritten = new AtomicLong();
  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel server;

  Http1TestServer() throws InterruptedException {
    this(null);
  }

  /**
   * @param tls the server's TLS context (client certificates required, ALPN {@code http/1.1}
   *     only), or {@code null} for plaintext
   */
  Http1TestServer(SSLContext tls) throws InterruptedException {
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
              p.setApplicationProtocols(new String[] {"http/1.1"});
              engine.setSSLParameters(p);
              ch.pipeline().addLast(new SslHandler(engine));
            }
            ch.pipeline().addLast(new HttpServerCodec(), new Handler());
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

  private final class Handler extends ChannelInboundHandlerAdapter {
    private String path;
    private String host;
    private long uploaded;
    private long bigRemaining;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      try {
        if (msg instanceof HttpRequest r) {
          path = r.uri();
          host = r.headers().get(HttpHeaderNames.HOST);
          uploaded = 0;
        }
        if (msg instanceof HttpContent c) {
          uploaded += c.content().readableBytes();
          if (path.equals("/upload")) {
            uploadReceived.addAndGet(c.content().readableBytes());
          }
          if (c instanceof LastHttpContent) {
            respond(ctx);
          }
        }
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }

    private void respond(ChannelHandlerContext ctx) {
      if (path.equals("/hold")) {
        return;
      }
      if (path.equals("/head-then-hold")) {
        DefaultHttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1,
            HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        ctx.write(head);
        ctx.writeAndFlush(new DefaultHttpContent(text("part")));
        return;
      }
      if (path.startsWith("/big?")) {
        bigRemaining = Long.parseLong(path.substring(5));
        DefaultHttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1,
            HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_LENGTH, bigRemaining);
        ctx.write(head);
        writeBig(ctx);
        return;
      }
      String body = path.equals("/upload") ? Long.toString(uploaded) : "hello";
      DefaultFullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
          HttpResponseStatus.OK, text(body));
      r.headers().set(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
      if (host != null) {
        r.headers().set("x-host", host);
      }
      ctx.writeAndFlush(r);
    }

    private void writeBig(ChannelHandlerContext ctx) {
      while (bigRemaining > 0 && ctx.channel().isWritable()) {
        int n = (int) Math.min(65536, bigRemaining);
        bigRemaining -= n;
        ByteBuf chunk = Unpooled.wrappedBuffer(new byte[n]);
        Object m = bigRemaining == 0 ? new io.netty.handler.codec.http.DefaultLastHttpContent(chunk)
            : new DefaultHttpContent(chunk);
        ctx.writeAndFlush(m).addListener(f -> {
          if (f.isSuccess()) {
            bigWritten.addAndGet(n);
          }
        });
      }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      if (bigRemaining > 0) {
        writeBig(ctx);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  private static ByteBuf text(String s) {
    return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
  }
}
