package io.inboard.mesh.gateway.internal;

import io.inboard.mesh.http.internal.transport.ResponseTrailers;
import io.inboard.mesh.http.internal.transport.TransportKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse.BodySubscriber;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * An upstream response's body, written downstream chunk by chunk as it arrives: the next chunk
 * is requested only when the previous one has been written to the socket, so a slow client
 * slows the upstream read instead of filling the gateway's memory. Its "body" is itself,
 * available as soon as the head arrived, so the route's response-header changes apply before
 * the head is written; a try the retries drop is {@link #close() closed}. Trailers (gRPC's
 * status, from a transport that reads them) go in the last chunk.
 *
 * <p>Subscriber callbacks run on the channel's event loop: at once when they come on it (the
 * Netty transport's), else after a hop; chunks that come before {@link #attach} (a local
 * reply's) wait until then.
 */
final class ResponseStream implements BodySubscriber<ResponseStream>, ResponseTrailers,
    AutoCloseable {

  /** What happens when the body ended or failed; called on the event loop. */
  interface Sink {
    void bodyDone(Throwable failure);
  }

  private final CompletableFuture<ResponseStream> self = CompletableFuture.completedFuture(this);
  private volatile Flow.Subscription subscription;
  private volatile boolean closed;
  // event-loop confined from here
  private volatile ChannelHandlerContext ctx;
  private Sink sink;
  private final java.util.ArrayDeque<Object> early = new java.util.ArrayDeque<>();
  private HttpHeaders trailers;
  private boolean ended;
  /** Events handed to the event loop and not yet handled: later ones must not overtake them. */
  private final java.util.concurrent.atomic.AtomicInteger queued =
      new java.util.concurrent.atomic.AtomicInteger();

  @Override
  public CompletionStage<ResponseStream> getBody() {
    return self;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    if (closed) {
      s.cancel();
    } else if (ctx != null) {
      // attached before the transport subscribed: the first chunk was not asked for yet
      // (when both see each other the demand is 2, which the event loop serializes anyway)
      s.request(1);
    }
  }

  /** Starts writing to {@code ctx} (on its event loop), after the head was written. */
  void attach(ChannelHandlerContext ctx, Sink sink) {
    this.sink = sink;
    synchronized (this) {
      this.ctx = ctx;
    }
    while (!early.isEmpty() && !ended) {
      handle(early.poll());
    }
    if (!ended) {
      Flow.Subscription s = subscription;
      if (s != null) {
        s.request(1);
      }
    }
  }

  /**
   * Whether the transport hands over its buffers for good, as the Netty transport does (a fresh
   * buffer per chunk): they are then written as they are. Others' are copied, as a transport
   * may reuse its buffers once {@code onNext} returns.
   */
  private static final boolean BUFFERS_HANDED_OVER = GatewayTransport.KIND == TransportKind.NETTY;

  @Override
  public void onNext(List<ByteBuffer> item) {
    if (BUFFERS_HANDED_OVER) {
      post(item.size() == 1 ? Unpooled.wrappedBuffer(item.get(0))
          : Unpooled.wrappedBuffer(item.toArray(new ByteBuffer[0])));
      return;
    }
    int n = 0;
    for (ByteBuffer b : item) {
      n += b.remaining();
    }
    byte[] bytes = new byte[n];
    int at = 0;
    for (ByteBuffer b : item) {
      int r = b.remaining();
      b.get(bytes, at, r);
      at += r;
    }
    post(Unpooled.wrappedBuffer(bytes));
  }

  @Override
  public void onTrailers(HttpHeaders t) {
    post(new Trailers(t));
  }

  @Override
  public void onError(Throwable t) {
    post(new Failed(t));
  }

  @Override
  public void onComplete() {
    post(Done.DONE);
  }

  private record Trailers(HttpHeaders headers) {}

  private record Failed(Throwable failure) {}

  private enum Done { DONE }

  private void post(Object event) {
    ChannelHandlerContext c = ctx;
    if (c == null) {
      synchronized (this) {
        c = ctx;
        if (c == null) {
          early.add(event);
          return;
        }
      }
    }
    if (c.executor().inEventLoop() && queued.get() == 0) {
      // the Netty transport delivers on this channel's loop: no hop, and nothing queued to pass
      handle(event);
      return;
    }
    queued.incrementAndGet();
    c.executor().execute(() -> {
      queued.decrementAndGet();
      handle(event);
    });
  }

  private void handle(Object event) {
    if (ended) {
      return;
    }
    if (event instanceof ByteBuf bytes) {
      if (!bytes.isReadable()) {
        request();
        return;
      }
      ctx.writeAndFlush(new DefaultHttpContent(bytes))
          .addListener(f -> {
            if (f.isSuccess()) {
              request();
            } else {
              close();
            }
          });
    } else if (event instanceof Trailers t) {
      trailers = t.headers();
    } else if (event instanceof Failed f) {
      ended = true;
      sink.bodyDone(f.failure());
    } else {
      ended = true;
      LastHttpContent last = trailers == null ? LastHttpContent.EMPTY_LAST_CONTENT
          : new DefaultLastHttpContent();
      if (trailers != null) {
        for (Map.Entry<String, List<String>> e : trailers.map().entrySet()) {
          last.trailingHeaders().add(e.getKey(), e.getValue());
        }
      }
      ctx.writeAndFlush(last).addListener(f -> sink.bodyDone(f.isSuccess() ? null : f.cause()));
    }
  }

  private void request() {
    Flow.Subscription s = subscription;
    if (s != null && !closed) {
      s.request(1);
    }
  }

  /** Drops the body: a retried try's, or the client went away. */
  @Override
  public void close() {
    closed = true;
    Flow.Subscription s = subscription;
    if (s != null) {
      s.cancel();
    }
  }
}
