package io.inboard.mesh.gateway.internal;


import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayDeque;

/**
 * Serves the requests of one HTTP/1.1 connection, or of one HTTP/2 stream (a child channel
 * whose frames arrive as HTTP/1 objects), one at a time: auto-read is off, so the channel is
 * read only for the current request's body or, once its response is written, for the next
 * request. Pipelined requests that arrive in the same read wait in order.
 */
final class ProxyHandler extends ChannelInboundHandlerAdapter implements Exchange.Owner {

  private final ListenerChain chain;
  private final boolean http2;
  private final ArrayDeque<Object> pipelined = new ArrayDeque<>();
  private ChannelHandlerContext ctx;
  private String clientIp = "";
  private Exchange current;
  private boolean draining;

  ProxyHandler(ListenerChain chain, boolean http2) {
    this.chain = chain;
    this.http2 = http2;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    // an HTTP/2 stream's peer is its connection's
    SocketAddress remote = (http2 ? ctx.channel().parent() : ctx.channel()).remoteAddress();
    if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
      clientIp = inet.getAddress().getHostAddress();
    }
    ctx.channel().config().setAutoRead(false);
    if (ctx.channel().isActive()) {
      ctx.read();
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    ctx.read();
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (current != null && !current.requestComplete() && msg instanceof HttpContent c) {
      current.content(c);
    } else if (current != null && msg instanceof HttpRequest) {
      pipelined.add(msg);
    } else if (msg instanceof HttpRequest r) {
      start(r);
    } else {
      // the empty last chunk after a bodiless request, or a body the exchange no longer reads
      ReferenceCountUtil.release(msg);
    }
  }

  private void start(HttpRequest r) {
    current = new Exchange(ctx, r, chain, http2, clientIp, this);
    current.start();
  }

  @Override
  public void exchangeDone(Exchange e, boolean reusable) {
    if (e != current) {
      return;
    }
    current = null;
    if (!reusable || draining || http2) {
      pipelined.forEach(ReferenceCountUtil::release);
      pipelined.clear();
      if (!http2 || !reusable) {
        ctx.close();
      }
      return;
    }
    Object next = pipelined.poll();
    if (next != null) {
      start((HttpRequest) next);
    } else {
      ctx.read();
    }
  }

  /** Stops taking requests: closes now when idle, else after the current response. */
  void drain() {
    draining = true;
    if (current == null) {
      ctx.close();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (current != null) {
      current.downstreamClosed();
    }
    pipelined.forEach(ReferenceCountUtil::release);
    pipelined.clear();
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }

  /** The proxy handler of {@code channel}, or {@code null}. */
  static ProxyHandler of(Channel channel) {
    return channel.pipeline().get(ProxyHandler.class);
  }
}
