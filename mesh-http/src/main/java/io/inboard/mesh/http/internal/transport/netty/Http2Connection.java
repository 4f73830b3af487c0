package io.inboard.mesh.http.internal.transport.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.ArrayDeque;

/**
 * One HTTP/2 connection to an endpoint on one loop, multiplexing every HTTP/2 try to it from
 * that loop. Tries that come while it is being established wait for it. A GOAWAY retires it
 * from the pool (its open streams finish; new tries get a new connection), and so does its
 * pool's {@code maxRequestsPerConnection}-th try, after which it closes with its last stream;
 * past the idle timeout without streams, it closes.
 */
final class Http2Connection extends ChannelInboundHandlerAdapter {

  private final LoopPools pools;
  private final Endpoint endpoint;
  private final ArrayDeque<Exchange<?>> waiting = new ArrayDeque<>(2);
  private Channel channel;
  private Http2FrameCodec codec;
  private Http2StreamChannelBootstrap streams;
  private boolean retired;
  /** Streams this connection has been given (for {@code maxRequestsPerConnection}). */
  private int requests;
  /** Retired for having carried its share: closes once its last stream ends. */
  private boolean draining;

  Http2Connection(LoopPools pools, Endpoint endpoint) {
    this.pools = pools;
    this.endpoint = endpoint;
  }

  /** Whether new tries may use this connection (connecting or open, not retired). */
  boolean usable() {
    return !retired && (channel == null || channel.isActive());
  }

  /** Sends {@code ex} on a new stream, or once the connection is up. */
  void send(Exchange<?> ex) {
    if (pools.spent(++requests)) {
      // its last request: new tries get a new connection, this one ends with its streams
      draining = true;
      retired = true;
      pools.retire(endpoint, this);
    }
    if (channel == null) {
      waiting.add(ex);
    } else {
      openStream(ex);
    }
  }

  /** The connection is established and speaks HTTP/2: set it up and send the waiting tries. */
  void ready(Channel ch) {
    channel = ch;
    codec = Http2FrameCodecBuilder.forClient()
        .initialSettings(Http2Settings.defaultSettings().pushEnabled(false))
        .build();
    ch.pipeline().addLast(codec, new Http2MultiplexHandler(new RefusePushes()), this);
    ch.config().setAutoRead(true); // frames of all streams arrive here; streams read on demand
    streams = new Http2StreamChannelBootstrap(ch).option(ChannelOption.AUTO_READ, false);
    codec.connection().addListener(new Http2ConnectionAdapter() {
      @Override
      public void onStreamClosed(io.netty.handler.codec.http2.Http2Stream stream) {
        if (draining && codec.connection().numActiveStreams() == 0) {
          ch.close();
        }
      }
    });
    Exchange<?> ex;
    while ((ex = waiting.poll()) != null) {
      openStream(ex);
    }
  }

  /** The connection could not be made, or the server chose HTTP/1.1: hand back the waiters. */
  ArrayDeque<Exchange<?>> failed() {
    retired = true;
    return waiting;
  }

  private void openStream(Exchange<?> ex) {
    if (ex.isDone()) {
      return;
    }
    streams.open().addListener(f -> {
      if (!f.isSuccess()) {
        ex.failIo(f.cause(), "opening an HTTP/2 stream failed");
        return;
      }
      Http2StreamChannel stream = (Http2StreamChannel) f.getNow();
      Http2Stream handler = new Http2Stream(ex, endpoint.tls());
      stream.pipeline().addLast(handler);
      handler.start(stream);
    });
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof Http2GoAwayFrame) {
      retire();
    }
    ReferenceCountUtil.release(msg);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof Http2GoAwayFrame) {
      retire();
    } else if (evt instanceof IdleStateEvent && codec.connection().numActiveStreams() == 0) {
      retire();
      ctx.close();
    }
    ReferenceCountUtil.release(evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    retire();
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    retire();
    ctx.close();
  }

  private void retire() {
    if (!retired) {
      retired = true;
      pools.retire(endpoint, this);
    }
    Exchange<?> ex;
    while ((ex = waiting.poll()) != null) {
      ex.fail(new IOException("HTTP/2 connection closed"));
    }
  }

  /** The client disables push; a server that pushes anyway gets its streams reset. */
  @io.netty.channel.ChannelHandler.Sharable
  private static final class RefusePushes extends ChannelInboundHandlerAdapter {
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      ctx.close();
    }
  }
}
