package io.inboard.benchmarks.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/**
 * The anchor's echo server ({@code ../shared/bench-anchor/src/main/java/bench/EchoServer.java}),
 * moved to Netty 4.2's I/O handler API: HTTP/1.1 on {@code 127.0.0.1}, keep-alive, a fixed
 * {@value #BODY_LEN}-byte body (or the request body echoed), epoll where available. It runs in a
 * JVM of its own, so its CPU never counts as a client's.
 */
public final class EchoServer {

  /** The size of every response body, in bytes: the "1 KB responses". */
  public static final int BODY_LEN = 1024;

  private EchoServer() {}

  /** {@code EchoServer [port=18080] [eventLoops=2]}; runs until killed. */
  public static void main(String[] args) throws InterruptedException {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 18080;
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    boolean epoll = Epoll.isAvailable();
    IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, io);
    EventLoopGroup workers = new MultiThreadIoEventLoopGroup(threads, io);
    byte[] b = new byte[BODY_LEN];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) ('a' + i % 26);
    }
    ByteBuf body = Unpooled.unreleasableBuffer(
        Unpooled.directBuffer(BODY_LEN).writeBytes(b).asReadOnly());
    Echo echo = new Echo(body);
    try {
      Channel ch = new ServerBootstrap()
          .group(boss, workers)
          .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
          .option(ChannelOption.SO_BACKLOG, 1024)
          .childOption(ChannelOption.TCP_NODELAY, true)
          .childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel c) {
              c.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20), echo);
            }
          })
          .bind("127.0.0.1", port).sync().channel();
      System.out.println("echo server on 127.0.0.1:" + port + ", transport "
          + (epoll ? "epoll" : "nio") + ", " + threads + " event loops, pid "
          + ProcessHandle.current().pid());
      ch.closeFuture().sync();
    } finally {
      boss.shutdownGracefully();
      workers.shutdownGracefully();
    }
  }

  @ChannelHandler.Sharable
  private static final class Echo extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final ByteBuf body;

    Echo(ByteBuf body) {
      this.body = body;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
      ByteBuf content = req.content().isReadable()
          ? req.content().retainedDuplicate() : body.duplicate();
      FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
          HttpResponseStatus.OK, content);
      resp.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_OCTET_STREAM)
          .setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
      if (HttpUtil.isKeepAlive(req)) {
        if (req.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
          resp.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        ctx.writeAndFlush(resp, ctx.voidPromise());
      } else {
        resp.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(resp).addListener(ChannelFutureListener.CLOSE);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
