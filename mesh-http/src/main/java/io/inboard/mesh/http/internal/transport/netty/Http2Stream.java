package io.inboard.mesh.http.internal.transport.netty;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.http.HttpClient;
import javax.net.ssl.SSLSession;

/**
 * One {@link Exchange} on one HTTP/2 stream (a child channel of the connection, reads off until
 * the subscriber asks, so the stream's flow-control window is the backpressure). A second
 * HEADERS frame holds the trailers; closing the stream early resets it ({@code RST_STREAM}).
 */
final class Http2Stream extends ChannelInboundHandlerAdapter implements Wire {

  private final Exchange<?> exchange;
  private final boolean tls;
  private Channel channel;
  private RequestBody body;
  private boolean headReceived;
  private boolean ended;
  private boolean requestDone;

  Http2Stream(Exchange<?> exchange, boolean tls) {
    this.exchange = exchange;
    this.tls = tls;
  }

  /** Sends the request on {@code stream}, whose pipeline this handler is in. */
  void start(Channel stream) {
    channel = stream;
    exchange.attach(this);
    if (ended) {
      return;
    }
    long length = Heads.contentLength(exchange.request);
    Http2Headers head = Heads.http2(exchange.request, tls, length);
    if (length == 0) {
      requestDone = true;
      stream.writeAndFlush(new DefaultHttp2HeadersFrame(head, true)).addListener(f -> {
        if (!f.isSuccess()) {
          broken(f.cause(), "sending the request failed");
        }
      });
    } else {
      // flushed now: a streaming body (a gRPC client stream) may wait for the server
      stream.writeAndFlush(new DefaultHttp2HeadersFrame(head, false));
      body = new RequestBody(stream, exchange, DefaultHttp2DataFrame::new,
          new DefaultHttp2DataFrame(Unpooled.EMPTY_BUFFER, true), () -> requestDone = true);
      body.start();
    }
    stream.read();
  }

  @Override
  public void read() {
    channel.read();
  }

  @Override
  public void abort() {
    ended = true;
    if (body != null) {
      body.stop();
    }
    if (channel != null) {
      channel.close(); // an open stream is reset with CANCEL
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (ended) {
        return;
      }
      if (msg instanceof Http2HeadersFrame h) {
        onHeaders(ctx, h);
      } else if (msg instanceof Http2DataFrame d) {
        if (d.content().isReadable()) {
          exchange.onBody(d.content());
        }
        if (d.isEndStream()) {
          end(null);
        }
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void onHeaders(ChannelHandlerContext ctx, Http2HeadersFrame h) {
    if (!headReceived) {
      CharSequence status = h.headers().status();
      int code = status == null ? -1 : Integer.parseInt(status.toString());
      if (code >= 100 && code < 200 && !h.isEndStream()) {
        return; // interim
      }
      if (code < 0) {
        broken(null, "HTTP/2 response without :status");
        return;
      }
      headReceived = true;
      SslHandler ssl = ctx.channel().parent().pipeline().get(SslHandler.class);
      SSLSession session = ssl == null ? null : ssl.engine().getSession();
      exchange.onHead(code, ResponseHeaders.of(Heads.jdk(h.headers())), HttpClient.Version.HTTP_2, session);
      if (h.isEndStream()) {
        end(null);
      }
    } else {
      end(Heads.jdk(h.headers())); // trailers
    }
  }

  private void end(java.net.http.HttpHeaders trailers) {
    if (ended) {
      return;
    }
    ended = true;
    if (!requestDone) {
      // the server answered before the body was all sent: stop sending, reset the stream
      body.stop();
      channel.close();
    }
    exchange.onEnd(trailers);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (!ended && exchange.wantsRead()) {
      ctx.read();
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (body != null && !ended) {
      body.onWritable();
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof Http2ResetFrame r) {
      // worded as the JDK words a TCP reset, so telemetry flags it UR as Envoy flags RST_STREAM
      broken(null, "Connection reset: the server reset the HTTP/2 stream (error code "
          + r.errorCode() + ")");
    }
    ReferenceCountUtil.release(evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    broken(null, "connection closed before the response was complete");
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    broken(cause, "HTTP/2 stream failed");
  }

  private void broken(Throwable cause, String what) {
    if (ended) {
      return;
    }
    ended = true;
    if (body != null) {
      body.stop();
    }
    exchange.failIo(cause == null ? new IOException(what) : cause, what);
    if (channel != null) {
      channel.close();
    }
  }
}
