package io.inboard.mesh.http.internal.transport.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.http.HttpClient;
import javax.net.ssl.SSLSession;

/**
 * One HTTP/1.1 keep-alive connection, serving one {@link Exchange} at a time. It goes back to
 * its loop's idle stack only when the request was fully written and the response fully read
 * with keep-alive; anything else (a cancelled try, an early response, {@code Connection:
 * close}, the pool's {@code maxRequestsPerConnection} reached) closes it. While idle it keeps one read pending, so a server's close is seen at once.
 */
final class Http1Connection extends ChannelDuplexHandler implements Wire {

  private final LoopPools pools;
  private final Endpoint endpoint;
  private Channel channel;
  private Exchange<?> exchange;
  private RequestBody body;
  private boolean requestWritten;
  private boolean keepAlive;
  /** Requests this connection has carried (for {@code maxRequestsPerConnection}). */
  private int requests;

  Http1Connection(LoopPools pools, Endpoint endpoint) {
    this.pools = pools;
    this.endpoint = endpoint;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    channel = ctx.channel();
  }

  boolean isActive() {
    return channel.isActive();
  }

  /** Sends {@code ex}'s request on this idle connection. */
  void start(Exchange<?> ex) {
    requests++;
    exchange = ex;
    body = null;
    requestWritten = false;
    keepAlive = true;
    ex.attach(this);
    if (exchange == null) {
      return; // attach aborted it: the try ended while the connection was coming
    }
    long length = Heads.contentLength(ex.request);
    DefaultHttpRequest head = Heads.http1(ex.request, length);
    if (length == 0) {
      channel.write(head);
      channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(f -> {
        if (!f.isSuccess()) {
          onBroken(f.cause(), "sending the request failed");
        }
      });
      requestWritten = true;
    } else {
      // flushed now: a streaming body may take its time, and the server may answer first
      channel.writeAndFlush(head);
      body = new RequestBody(channel, ex, DefaultHttpContent::new,
          LastHttpContent.EMPTY_LAST_CONTENT, () -> requestWritten = true);
      body.start();
    }
    channel.read();
  }

  @Override
  public void read() {
    channel.read();
  }

  /** Now idle in the pool: one read stays pending, so a server's close is seen at once. */
  void idle() {
    channel.read();
  }

  @Override
  public void abort() {
    exchange = null;
    if (body != null) {
      body.stop();
    }
    channel.close();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      Exchange<?> ex = exchange;
      if (ex == null) {
        ctx.close(); // nothing is asked of an idle connection
        return;
      }
      if (msg instanceof HttpResponse r) {
        if (r.decoderResult().isFailure()) {
          onBroken(r.decoderResult().cause(), "malformed response");
          return;
        }
        int status = r.status().code();
        if (status >= 100 && status < 200 && status != 101) {
          return; // interim (100 Continue): the real head follows
        }
        keepAlive = HttpUtil.isKeepAlive(r);
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        SSLSession session = ssl == null ? null : ssl.engine().getSession();
        ex.onHead(status, ResponseHeaders.of(r.headers()), HttpClient.Version.HTTP_1_1, session);
      }
      if (msg instanceof HttpContent c && exchange == ex) {
        if (c.content().isReadable()) {
          ex.onBody(c.content());
        }
        if (c instanceof LastHttpContent last && exchange == ex) {
          finish(ex, last);
        }
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void finish(Exchange<?> ex, LastHttpContent last) {
    exchange = null;
    java.net.http.HttpHeaders trailers = last.trailingHeaders().isEmpty() ? null
        : Heads.jdk(last.trailingHeaders());
    if (keepAlive && requestWritten && channel.isActive() && !pools.spent(requests)) {
      body = null;
      pools.release(endpoint, this);
    } else {
      if (body != null) {
        body.stop();
      }
      channel.close();
    }
    ex.onEnd(trailers);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    Exchange<?> ex = exchange;
    if (ex != null && ex.wantsRead()) {
      ctx.read();
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (body != null && exchange != null) {
      body.onWritable();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    pools.remove(endpoint, this);
    onBroken(null, "connection closed before the response was complete");
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    onBroken(cause, "connection failed");
    ctx.close();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent && exchange == null) {
      ctx.close(); // idle past the pool's idle timeout
    }
    ReferenceCountUtil.release(evt);
  }

  private void onBroken(Throwable cause, String what) {
    Exchange<?> ex = exchange;
    exchange = null;
    if (ex != null) {
      ex.failIo(cause == null ? new IOException(what) : cause, what);
    }
    channel.close();
  }
}
