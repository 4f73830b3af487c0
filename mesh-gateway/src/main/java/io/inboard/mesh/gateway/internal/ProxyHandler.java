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
 * whose frames arrive as HTTP/1 objects), one at a time. Auto-read is off: the channel is read
 * for the current request's body as the exchange asks, and once a request has fully arrived,
 * one read ahead stays pending while it is served. That read keeps the socket's read interest
 * set between requests (else each request costs two {@code epoll_ctl} calls) and sees a client
 * that closes at once; what it brings (a pipelined request) waits in order, and reading stops
 * until that is served, so at most one read's worth of requests is held.
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
    if (!pipelined.isEmpty() || (current != null && msg instanceof HttpRequest)) {
      pipelined.add(msg); // a later request (and its body): served after the current one
      return;
    }
    dispatch(msg);
    readAhead();
  }

  private void dispatch(Object msg) {
    if (msg instanceof HttpRequest r) {
      start(r);
    } else if (current != null && !current.requestComplete() && msg instanceof HttpContent c) {
      current.content(c);
    } else {
      // the empty last chunk after a bodiless request, or a body the exchange no longer reads
      ReferenceCountUtil.release(msg);
    }
  }

  /**
   * Reads on when no exchange is reading its body and nothing waits: for the next request, or
   * ahead while the current one is served (see the class comment). An exchange that still
   * reads its body asks for reads itself, at its own pace.
   */
  private void readAhead() {
    if (pipelined.isEmpty() && (current == null || (!http2 && current.requestComplete()))) {
      ctx.read();
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
    // serve what waits, in order, up to the next request that must wait for this one's end
    while (!pipelined.isEmpty() && !(current != null && pipelined.peek() instanceof HttpRequest)) {
      dispatch(pipelined.poll());
    }
    readAhead();
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
