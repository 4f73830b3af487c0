package io.inboard.mesh.http.internal.transport.netty;

import io.inboard.mesh.http.internal.transport.HeaderView;
import io.inboard.mesh.http.internal.transport.ResponseTrailers;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSession;

/**
 * One try on one event loop: the future the engine waits on and the response body's delivery to
 * the caller's {@link BodySubscriber}. Everything but {@link #cancel} and the subscription's
 * methods runs on {@link #loop}; those hop onto it, so no state here is shared across threads.
 *
 * <p>Backpressure: the channel is read only while the subscriber has demand and nothing is
 * queued, so at most one socket read's worth of body waits here. Like the JDK client, the future
 * completes when the subscriber's body does ({@code ofString}: at the end; {@code ofPublisher}:
 * at the head). The request's timeout covers the exchange until the future completes.
 */
final class Exchange<T> extends CompletableFuture<HttpResponse<T>> {

  final HttpRequest request;
  final EventLoop loop;
  private final BodyHandler<T> handler;
  private final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>(4);
  private Wire wire;
  private BodySubscriber<T> subscriber;
  private long demand;
  private boolean ended; // the whole response is here (queued or delivered)
  private boolean terminal; // the subscriber got onComplete or onError, or cancelled
  private boolean delivering;
  private HttpHeaders trailers;
  private ScheduledFuture<?> timer;

  Exchange(HttpRequest request, BodyHandler<T> handler, EventLoop loop) {
    this.request = request;
    this.handler = handler;
    this.loop = loop;
  }

  /** Arms the request's timeout, if it has one. */
  void armTimeout() {
    Optional<java.time.Duration> timeout = request.timeout();
    if (timeout.isPresent()) {
      timer = loop.schedule(() -> fail(new HttpTimeoutException("request timed out")),
          timeout.get().toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  /** Binds the exchange to its channel; an exchange already over aborts it at once. */
  void attach(Wire w) {
    if (isDone() && subscriber == null || terminal) {
      w.abort();
      return;
    }
    wire = w;
  }

  /** Whether the channel should read more for this exchange. */
  boolean wantsRead() {
    return !ended && !terminal && (subscriber == null || (queue.isEmpty() && demand > 0));
  }

  /** The response head arrived. */
  void onHead(int status, ResponseHeaders headers, HttpClient.Version version,
      SSLSession session) {
    if (isDone() || terminal) {
      return;
    }
    ResponseHead info = new ResponseHead(status, headers, version);
    BodySubscriber<T> s;
    try {
      s = handler.apply(info);
    } catch (RuntimeException e) {
      fail(e);
      return;
    }
    subscriber = s;
    // subscribed before the response is handed out, as a body that is ready at once (a
    // streaming one) completes it right here
    s.onSubscribe(new Subscription());
    URI uri = request.uri();
    s.getBody().whenComplete((body, error) -> {
      if (error != null) {
        completeExceptionally(error);
      } else {
        complete(new NettyResponse<>(request, uri, status, headers, body, version,
            Optional.ofNullable(session)));
      }
      cancelTimer();
    });
  }

  /** A piece of the response body; copied, since the subscriber keeps it past the buffer. */
  void onBody(ByteBuf content) {
    if (terminal) {
      return;
    }
    ByteBuffer copy = ByteBuffer.allocate(content.readableBytes());
    content.readBytes(copy);
    queue.add(copy.flip());
    drain();
  }

  /**
   * The response is complete; the channel is done with this exchange (an HTTP/1.1 connection
   * may already serve another).
   */
  void onEnd(HttpHeaders trailers) {
    wire = null;
    if (terminal) {
      return;
    }
    ended = true;
    this.trailers = trailers;
    drain();
  }

  /** The exchange failed: the future fails (if not yet complete) and so does the body. */
  void fail(Throwable failure) {
    Wire w = wire;
    wire = null;
    cancelTimer();
    if (w != null) {
      w.abort();
    }
    if (subscriber != null && !terminal) {
      terminal = true;
      queue.clear();
      subscriber.onError(failure);
    }
    completeExceptionally(failure);
  }

  /** The channel broke under this exchange. */
  void failIo(Throwable cause, String what) {
    fail(cause instanceof IOException io ? io : new IOException(what, cause));
  }

  private void cancelTimer() {
    ScheduledFuture<?> t = timer;
    if (t != null) {
      timer = null;
      t.cancel(false);
    }
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    boolean cancelled = super.cancel(mayInterruptIfRunning);
    if (cancelled) {
      onLoop(() -> fail(new CancellationException("the try was cancelled")));
    }
    return cancelled;
  }

  private void onLoop(Runnable r) {
    if (loop.inEventLoop()) {
      r.run();
    } else {
      loop.execute(r);
    }
  }

  private void drain() {
    if (delivering || subscriber == null) {
      return;
    }
    delivering = true;
    try {
      while (demand > 0 && !queue.isEmpty() && !terminal) {
        demand--;
        subscriber.onNext(List.of(queue.poll()));
      }
      if (ended && queue.isEmpty() && !terminal) {
        terminal = true;
        if (trailers != null && !trailers.map().isEmpty()
            && subscriber instanceof ResponseTrailers rt) {
          rt.onTrailers(trailers);
        }
        subscriber.onComplete();
      }
    } finally {
      delivering = false;
    }
    Wire w = wire;
    if (w != null && wantsRead()) {
      w.read();
    }
  }

  private void request(long n) {
    if (terminal) {
      return;
    }
    if (n <= 0) {
      fail(new IllegalArgumentException("request: " + n + " (expected: > 0)"));
      return;
    }
    demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
    drain();
  }

  private void cancelBody() {
    if (terminal) {
      return;
    }
    terminal = true;
    queue.clear();
    Wire w = wire;
    wire = null;
    cancelTimer();
    if (w != null) {
      w.abort();
    }
  }

  private final class Subscription implements Flow.Subscription {
    @Override
    public void request(long n) {
      if (loop.inEventLoop()) {
        Exchange.this.request(n);
      } else {
        loop.execute(() -> Exchange.this.request(n));
      }
    }

    @Override
    public void cancel() {
      onLoop(Exchange.this::cancelBody);
    }
  }

  private record ResponseHead(int statusCode, ResponseHeaders heads, HttpClient.Version version)
      implements HttpResponse.ResponseInfo, HeaderView {
    @Override
    public HttpHeaders headers() {
      return heads.jdk();
    }

    @Override
    public String firstHeader(String lowerName) {
      return heads.firstHeader(lowerName);
    }

    @Override
    public List<String> allHeaders(String lowerName) {
      return heads.allHeaders(lowerName);
    }

    @Override
    public void forEachHeader(java.util.function.BiConsumer<String, String> action) {
      heads.forEachHeader(action);
    }

    @Override
    public boolean headersValidated() {
      return true;
    }
  }
}
