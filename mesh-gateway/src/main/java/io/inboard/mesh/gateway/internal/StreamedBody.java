package io.inboard.mesh.gateway.internal;

import io.inboard.mesh.http.internal.xds.OneShotBody;
import io.netty.channel.ChannelHandlerContext;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.Flow;

/**
 * A request body larger than the replay buffer, streamed from the downstream channel to its one
 * upstream subscriber with backpressure: the channel reads (auto-read is off) only while the
 * subscriber has demand and nothing is queued. It can be subscribed to once; a retry's second
 * subscription fails, as Envoy does not retry a request whose body it could not buffer.
 *
 * <p>Every state change runs on the channel's event loop.
 */
final class StreamedBody implements OneShotBody {

  private final ChannelHandlerContext ctx;
  private final long contentLength;
  private final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>();
  private Flow.Subscriber<? super ByteBuffer> subscriber;
  private long demand;
  private boolean complete;
  private boolean done;
  private Throwable failure;

  /**
   * @param prefix what was read before streaming started
   * @param contentLength the downstream {@code content-length}, or -1 when chunked
   */
  StreamedBody(ChannelHandlerContext ctx, List<ByteBuffer> prefix, long contentLength) {
    this.ctx = ctx;
    this.contentLength = contentLength;
    queue.addAll(prefix);
  }

  @Override
  public long contentLength() {
    return contentLength;
  }

  @Override
  public void subscribe(Flow.Subscriber<? super ByteBuffer> s) {
    ctx.executor().execute(() -> {
      if (subscriber != null) {
        s.onSubscribe(new Flow.Subscription() {
          @Override
          public void request(long n) {}

          @Override
          public void cancel() {}
        });
        s.onError(new IOException("the request body is larger than the gateway's replay buffer ("
            + Exchange.REPLAY_LIMIT + " bytes) and streams once: it cannot be sent again"));
        return;
      }
      subscriber = s;
      s.onSubscribe(new Flow.Subscription() {
        @Override
        public void request(long n) {
          ctx.executor().execute(() -> {
            demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
            drain();
          });
        }

        @Override
        public void cancel() {
          ctx.executor().execute(() -> {
            done = true;
            queue.clear();
          });
        }
      });
    });
  }

  /** A chunk from downstream. */
  void offer(ByteBuffer b) {
    if (done) {
      return;
    }
    queue.add(b);
    drain();
  }

  /** The downstream body ended. */
  void complete() {
    complete = true;
    drain();
  }

  /** The downstream connection failed before the body ended. */
  void fail(Throwable t) {
    failure = t;
    drain();
  }

  private void drain() {
    if (subscriber == null || done) {
      return;
    }
    while (demand > 0 && !queue.isEmpty()) {
      demand--;
      subscriber.onNext(queue.poll());
    }
    if (queue.isEmpty()) {
      if (failure != null) {
        done = true;
        subscriber.onError(failure);
      } else if (complete) {
        done = true;
        subscriber.onComplete();
      } else if (demand > 0) {
        ctx.read();
      }
    }
  }
}
