package io.inboard.mesh.grpc.internal.pool;

import io.grpc.Attributes;
import io.grpc.ClientStreamTracer;
import io.grpc.Metadata;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Whether one call waits for a connection to carry its stream, counted in its pool's pending
 * calls while it does. grpc creates a call's stream at once on a ready connection, inside the
 * call's {@code start}; otherwise it holds the call until a connection is ready (or, for a call
 * that waits for ready, until one recovers) and creates the stream then. A tracer's {@code
 * streamCreated} marks that moment on whichever thread it happens.
 */
final class WaitingStream extends ClientStreamTracer.Factory {

  private static final int STARTING = 0;
  private static final int STREAM = 1;
  private static final int WAITING = 2;
  private static final int DONE = 3;

  private final ClusterPool pool;
  private final AtomicInteger state = new AtomicInteger(STARTING);

  WaitingStream(ClusterPool pool) {
    this.pool = pool;
  }

  @Override
  public ClientStreamTracer newClientStreamTracer(ClientStreamTracer.StreamInfo info,
      Metadata headers) {
    return new ClientStreamTracer() {
      @Override
      public void streamCreated(Attributes transportAttrs, Metadata headers) {
        onStream();
      }
    };
  }

  private void onStream() {
    if (state.compareAndSet(STARTING, STREAM)) {
      return;
    }
    if (state.compareAndSet(WAITING, STREAM)) {
      pool.waitDone();
    }
  }

  /**
   * Called once the call's {@code start} returned: counts the call as waiting if it has no
   * stream yet.
   *
   * @return false when it waits and the pool's pending limit is reached: it must be shed
   */
  boolean started() {
    if (state.get() != STARTING) {
      return true; // it got its stream inside start, or already ended
    }
    // counted first, then marked: a stream created meanwhile on another thread finds either
    // STARTING (and nothing to undo) or WAITING (and a count to give back)
    if (!pool.tryWait()) {
      return !state.compareAndSet(STARTING, DONE);
    }
    if (!state.compareAndSet(STARTING, WAITING)) {
      pool.waitDone(); // its stream came (or it ended) between the two steps
    }
    return true;
  }

  /** The call ended: stops counting it if it still waited. */
  void closed() {
    if (state.compareAndSet(WAITING, DONE)) {
      pool.waitDone();
    } else {
      state.compareAndSet(STARTING, DONE);
    }
  }
}
