package io.inboard.mesh.gateway.internal;

import io.inboard.mesh.http.internal.transport.Requests;
import io.inboard.mesh.http.InternalGatewayRouting;
import io.inboard.mesh.http.internal.xds.GatewayRoutes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One downstream request proxied upstream through its listener chain's route config, on the
 * connection's (HTTP/1.1) or stream's (HTTP/2) event loop.
 *
 * <p><b>Request body.</b> Up to {@link #REPLAY_LIMIT} bytes are read whole before the upstream
 * call, so that retries and mirrors can send them again; a larger body (by its
 * {@code content-length}, or once a chunked one grows past the limit) streams once, read from
 * the channel only as the upstream takes it (no retry and no mirror of it, as in Envoy).
 *
 * <p><b>Response.</b> The head is written when the upstream head arrived (after the route's
 * response-header changes), then the body chunk by chunk ({@link ResponseStream}). A call that
 * ends without a response gets Envoy's local reply, e.g. 504 {@code upstream request timeout}.
 */
final class Exchange {

  /** The largest request body kept for retries and mirrors: 1 MiB. */
  static final int REPLAY_LIMIT = 1 << 20;

  /** What the exchange tells its connection. */
  interface Owner {
    /** The response was written (or failed); {@code reusable}: the connection may serve more. */
    void exchangeDone(Exchange e, boolean reusable);
  }

  private final ChannelHandlerContext ctx;
  private final HttpRequest request;
  private final GatewayRoutes routes;
  private final ListenerChain chain;
  private DownstreamSpan span;
  private int status;
  private String details = "";
  private final boolean secure;
  private final boolean http2;
  private final Owner owner;
  private final String clientIp;
  private final boolean keepAlive;
  private final boolean head;
  private List<ByteBuffer> buffered = new ArrayList<>();
  private long bufferedBytes;
  private StreamedBody streamed;
  private boolean requestComplete;
  private boolean responseStarted;
  private boolean finished;

  /** @param clientIp the downstream peer's address, read once per connection */
  Exchange(ChannelHandlerContext ctx, HttpRequest request, ListenerChain chain, boolean http2,
      String clientIp, Owner owner) {
    this.ctx = ctx;
    this.request = request;
    this.chain = chain;
    this.routes = chain.routes();
    this.secure = chain.secure();
    this.http2 = http2;
    this.owner = owner;
    this.clientIp = clientIp;
    this.keepAlive = http2 || HttpUtil.isKeepAlive(request);
    this.head = request.method().equals(HttpMethod.HEAD);
  }

  boolean requestComplete() {
    return requestComplete;
  }

  /** Starts: reads the body (or part of it) and sends the request upstream. */
  void start() {
    if (request.decoderResult().isFailure()) {
      localReply(400, "bad request: " + request.decoderResult().cause().getMessage(), false);
      return;
    }
    if (HttpUtil.is100ContinueExpected(request)) {
      ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
          HttpResponseStatus.CONTINUE, Unpooled.EMPTY_BUFFER));
    }
    boolean hasBody = request instanceof HttpContent
        ? ((HttpContent) request).content().isReadable() || !(request instanceof LastHttpContent)
        : HttpUtil.getContentLength(request, 0L) > 0 || HttpUtil.isTransferEncodingChunked(request);
    if (request instanceof HttpContent c) {
      content(c);
      return;
    }
    if (!hasBody) {
      requestComplete = true;
      send(java.net.http.HttpRequest.BodyPublishers.noBody());
      return;
    }
    long length = HttpUtil.getContentLength(request, -1L);
    if (length > REPLAY_LIMIT) {
      stream();
    }
    ctx.read();
  }

  /** A chunk of the request body. */
  void content(HttpContent c) {
    ByteBuf b = c.content();
    ByteBuffer copy = null;
    if (b.isReadable()) {
      byte[] bytes = new byte[b.readableBytes()];
      b.readBytes(bytes);
      copy = ByteBuffer.wrap(bytes);
    }
    boolean last = c instanceof LastHttpContent;
    c.release();
    if (last) {
      requestComplete = true;
    }
    if (streamed != null) {
      if (copy != null) {
        streamed.offer(copy);
      }
      if (last) {
        streamed.complete();
      }
      return;
    }
    if (copy != null) {
      buffered.add(copy);
      bufferedBytes += copy.remaining();
    }
    if (last) {
      byte[] all = new byte[(int) bufferedBytes];
      int at = 0;
      for (ByteBuffer x : buffered) {
        int r = x.remaining();
        x.get(all, at, r);
        at += r;
      }
      buffered = null;
      send(all.length == 0 ? java.net.http.HttpRequest.BodyPublishers.noBody()
          : java.net.http.HttpRequest.BodyPublishers.ofByteArray(all));
    } else if (bufferedBytes > REPLAY_LIMIT) {
      stream();
    } else {
      ctx.read();
    }
  }

  /** Switches to streaming what was read so far and the rest. */
  private void stream() {
    streamed = new StreamedBody(ctx, buffered, HttpUtil.getContentLength(request, -1L));
    buffered = null;
    send(streamed);
  }

  /** The downstream connection closed. */
  void downstreamClosed() {
    if (streamed != null && !requestComplete) {
      streamed.fail(new java.io.IOException("the client closed the connection mid-request"));
    }
    if (!finished && span != null) {
      span.end(0, "downstream_remote_disconnect");
    }
    finished = true;
  }

  private void send(java.net.http.HttpRequest.BodyPublisher body) {
    String authority = request.headers().get(HttpHeaderNames.HOST);
    if (authority == null || authority.isEmpty()) {
      localReply(400, "missing host header", false);
      return;
    }
    URI uri;
    try {
      String target = request.uri();
      if (!target.startsWith("/")) {
        // absolute-form (a proxy request): keep its path and query only
        URI abs = new URI(target);
        target = (abs.getRawPath() == null || abs.getRawPath().isEmpty() ? "/" : abs.getRawPath())
            + (abs.getRawQuery() == null ? "" : "?" + abs.getRawQuery());
      }
      uri = TargetUris.of(secure).uri(authority, target);
    } catch (URISyntaxException e) {
      localReply(400, "bad request target or host: " + e.getMessage(), false);
      return;
    }
    UpstreamRequest upstream = new UpstreamRequest(uri, request.method().name(),
        ForwardedHeaders.request(request.headers(), authority, clientIp, secure), body,
        ForwardedHeaders.version(http2, request.headers()));
    span = DownstreamSpan.start(chain.tracing(), request, upstream);
    java.util.concurrent.CompletableFuture<java.net.http.HttpResponse<ResponseStream>> sent;
    if (span == null) {
      sent = routes.send(upstream, secure, info -> new ResponseStream());
    } else {
      // the upstream call's span (started in send) becomes a child of this request's
      try (var scope = span.context().makeCurrent()) {
        sent = routes.send(upstream, secure, info -> new ResponseStream());
      }
    }
    sent.whenComplete((r, e) -> {
      // the Netty transport completes on this connection's own loop: go on at once
      if (ctx.executor().inEventLoop()) {
        completed(r, e);
      } else {
        ctx.executor().execute(() -> completed(r, e));
      }
    });
  }

  private void completed(java.net.http.HttpResponse<ResponseStream> r, Throwable e) {
    if (e != null) {
      InternalGatewayRouting.LocalReply reply = InternalGatewayRouting.localReply(e);
      status = reply.status();
      details = reply.details();
      localReply(reply.status(), reply.body(), true);
    } else {
      status = r.statusCode();
      String local = Requests.header(r, "x-inboard-local-reply");
      details = local != null ? local : "via_upstream";
      respond(r);
    }
  }

  private void respond(java.net.http.HttpResponse<ResponseStream> r) {
    ResponseStream body = r.body();
    if (finished) {
      body.close();
      return;
    }
    responseStarted = true;
    HttpResponseStatus status = HttpResponseStatus.valueOf(r.statusCode());
    HttpResponse out = new DefaultHttpResponse(HttpVersion.HTTP_1_1, status);
    ForwardedHeaders.response(r, out.headers());
    boolean bodyless = head || r.statusCode() == 204 || r.statusCode() == 304
        || r.statusCode() < 200;
    long length = Requests.longValue(Requests.header(r, "content-length"));
    if (length >= 0 && Requests.header(r, "transfer-encoding") == null) {
      HttpUtil.setContentLength(out, length);
    } else if (!bodyless && !http2) {
      HttpUtil.setTransferEncodingChunked(out, true);
    }
    if (!http2 && !keepAlive) {
      out.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    if (http2 && Requests.header(r, "grpc-status") != null) {
      // gRPC's trailers-only reply (an error with no message): its status is in the head, which
      // must end the stream, as grpc clients read a status only from a stream's last HEADERS
      body.close();
      DefaultFullHttpResponse whole = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status);
      whole.headers().set(out.headers());
      ctx.writeAndFlush(whole).addListener(f -> finish(f.isSuccess()));
      return;
    }
    ctx.write(out);
    body.attach(ctx, failure -> {
      if (failure != null) {
        // the head is out: all that is left is to break the connection (or stream)
        finish(false);
        ctx.close();
      } else {
        finish(true);
      }
    });
  }

  private void localReply(int status, String text, boolean maybeReusable) {
    if (finished) {
      return;
    }
    responseStarted = true;
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.valueOf(status), Unpooled.wrappedBuffer(bytes));
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
    HttpUtil.setContentLength(r, bytes.length);
    boolean reusable = maybeReusable && keepAlive;
    if (!http2 && !reusable) {
      r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    ctx.writeAndFlush(r).addListener(f -> finish(f.isSuccess() && reusable));
  }

  private void finish(boolean ok) {
    if (finished) {
      return;
    }
    finished = true;
    if (span != null) {
      span.end(status, details);
    }
    // a request body the upstream did not take would be read as the next request: close
    owner.exchangeDone(this, ok && keepAlive && requestComplete);
  }

  boolean responseStarted() {
    return responseStarted;
  }
}
