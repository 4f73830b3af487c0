package io.inboard.mesh.grpc.internal.pool;

import io.grpc.Attributes;
import io.grpc.ClientCall;
import io.grpc.Deadline;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.Status;
import io.inboard.mesh.api.ServiceUnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A call that needs a slot of its cluster's {@link ClusterPool} before it starts. At {@code start}
 * it is admitted (and starts at once), queued, or shed: it then ends {@code UNAVAILABLE} at once,
 * with a {@link ServiceUnavailableException} of reason {@code OVERLOADED} as cause (telemetry
 * flags it {@code UO}). While queued, everything the caller does is held back, in order, as in
 * grpc's {@code DelayedClientCall}, and replayed once admitted; a cancel or the call's deadline
 * ends it where it waits and gives up its place.
 *
 * <p>The slot is given back in the listener's {@code onClose}. grpc-xds's own {@code
 * max_requests} counter (cluster_impl) decrements in its stream tracer's {@code streamClosed},
 * which grpc calls before the stream listener's {@code closed} ({@code AbstractClientStream
 * .TransportState.closeListener}), and {@code ClientCallImpl} calls {@code onClose} only from
 * that; so grpc never counts more calls in flight than this pool admitted, and never sheds one
 * of them itself.
 */
final class AdmittedCall<Q, R> extends ClientCall<Q, R> implements Runnable {

  private enum State { NEW, WAITING, STARTING, PASS_THROUGH, DONE }

  private final ClusterPool pool;
  private final ClientCall<Q, R> delegate;
  private final Executor executor;
  private final Deadline deadline;
  private final ScheduledExecutorService scheduler;

  // guarded by this
  private State state = State.NEW;
  private List<Runnable> held; // created only when something must wait
  private Future<?> deadlineTimer;
  /** Set once the call runs (never unset): the caller's operations then go straight through. */
  private volatile boolean passThrough;

  private Listener<R> listener;
  private Metadata headers;

  AdmittedCall(ClusterPool pool, ClientCall<Q, R> delegate, Executor executor, Deadline deadline,
      ScheduledExecutorService scheduler) {
    this.pool = pool;
    this.delegate = delegate;
    this.executor = executor;
    this.deadline = deadline;
    this.scheduler = scheduler;
  }

  @Override
  public void start(Listener<R> listener, Metadata headers) {
    this.listener = listener;
    this.headers = headers;
    synchronized (this) {
      if (state != State.NEW) {
        // cancelled before start: the underlying call, cancelled too, answers as its contract says
        delegate.start(listener, headers);
        return;
      }
      state = State.WAITING;
    }
    switch (pool.admit(this)) {
      case ADMITTED -> {
        boolean giveBack;
        synchronized (this) {
          giveBack = state == State.DONE; // cancelled meanwhile, and already closed
          if (!giveBack) {
            state = State.STARTING;
          }
        }
        if (giveBack) {
          pool.release();
        } else {
          startAdmitted();
        }
      }
      case SHED -> {
        synchronized (this) {
          if (state != State.WAITING) {
            return; // cancelled meanwhile, and already closed
          }
          state = State.DONE;
        }
        ServiceUnavailableException refused = pool.overloaded();
        closeLocally(Status.UNAVAILABLE.withDescription(refused.getMessage()).withCause(refused));
      }
      case QUEUED -> {
        if (deadline != null) {
          Future<?> timer = scheduler.schedule(this::deadlinePassed,
              deadline.timeRemaining(TimeUnit.NANOSECONDS), TimeUnit.NANOSECONDS);
          synchronized (this) {
            if (state == State.WAITING) {
              deadlineTimer = timer;
              timer = null;
            }
          }
          if (timer != null) {
            timer.cancel(false); // admitted or ended meanwhile
          }
        }
      }
    }
  }

  // Each operation goes straight through once the call runs; before that it is held (the
  // lambda is made only then), or dropped once the call ended where it waited.

  @Override
  public void request(int numMessages) {
    if (!passThrough) {
      synchronized (this) {
        if (state != State.PASS_THROUGH) {
          hold(() -> delegate.request(numMessages));
          return;
        }
      }
    }
    delegate.request(numMessages);
  }

  @Override
  public void sendMessage(Q message) {
    if (!passThrough) {
      synchronized (this) {
        if (state != State.PASS_THROUGH) {
          hold(() -> delegate.sendMessage(message));
          return;
        }
      }
    }
    delegate.sendMessage(message);
  }

  @Override
  public void halfClose() {
    if (!passThrough) {
      synchronized (this) {
        if (state != State.PASS_THROUGH) {
          hold(delegate::halfClose);
          return;
        }
      }
    }
    delegate.halfClose();
  }

  @Override
  public void setMessageCompression(boolean enabled) {
    if (!passThrough) {
      synchronized (this) {
        if (state != State.PASS_THROUGH) {
          hold(() -> delegate.setMessageCompression(enabled));
          return;
        }
      }
    }
    delegate.setMessageCompression(enabled);
  }

  @Override
  public boolean isReady() {
    return passThrough && delegate.isReady();
  }

  @Override
  public Attributes getAttributes() {
    return passThrough ? delegate.getAttributes() : Attributes.EMPTY;
  }

  @Override
  public void cancel(String message, Throwable cause) {
    if (passThrough) {
      delegate.cancel(message, cause);
      return;
    }
    State was;
    synchronized (this) {
      was = state;
      switch (was) {
        case STARTING -> hold(() -> delegate.cancel(message, cause));
        case NEW, WAITING -> state = State.DONE;
        default -> { }
      }
    }
    switch (was) {
      case NEW, PASS_THROUGH -> delegate.cancel(message, cause);
      case WAITING -> endWaiting(Status.CANCELLED.withDescription(message).withCause(cause));
      default -> { }
    }
  }

  private void deadlinePassed() {
    synchronized (this) {
      if (state != State.WAITING) {
        return;
      }
      state = State.DONE;
    }
    endWaiting(Status.DEADLINE_EXCEEDED.withDescription("deadline passed while the call waited"
        + " for a slot of cluster " + pool.cluster() + " (" + pool.limits().maxRequests()
        + " call(s) in flight at most, connectionPool.http.http2MaxRequests)"));
  }

  /** Ends a call that was waiting (its state already DONE): gives up its place. */
  private void endWaiting(Status status) {
    Future<?> timer;
    synchronized (this) {
      timer = deadlineTimer;
      deadlineTimer = null;
    }
    if (timer != null) {
      timer.cancel(false);
    }
    // if it was no longer queued, admitted() runs (or ran) and sees DONE: it gives the slot back
    pool.withdraw(this);
    closeLocally(status);
  }

  /** Run by the pool, on the thread that freed the slot, once this call holds one. */
  @Override
  public void run() {
    boolean giveBack;
    Future<?> timer;
    synchronized (this) {
      giveBack = state == State.DONE;
      if (!giveBack) {
        state = State.STARTING;
      }
      timer = deadlineTimer;
      deadlineTimer = null;
    }
    if (timer != null) {
      timer.cancel(false);
    }
    if (giveBack) {
      pool.release();
    } else {
      executor.execute(this::startAdmitted);
    }
  }

  private void startAdmitted() {
    try {
      delegate.start(new Releasing(listener), headers);
    } catch (RuntimeException | Error e) {
      synchronized (this) {
        state = State.DONE;
      }
      pool.release();
      throw e;
    }
    while (true) {
      List<Runnable> ops;
      synchronized (this) {
        if (held == null || held.isEmpty()) {
          state = State.PASS_THROUGH;
          passThrough = true;
          held = null;
          return;
        }
        ops = held;
        held = null;
      }
      ops.forEach(Runnable::run);
    }
  }

  /** Holds {@code op} until the call runs; drops it when the call ended. Guarded by this. */
  private void hold(Runnable op) {
    if (state == State.DONE) {
      return;
    }
    if (held == null) {
      held = new ArrayList<>(4);
    }
    held.add(op);
  }

  private void closeLocally(Status status) {
    Listener<R> l = listener;
    executor.execute(() -> l.onClose(status, new Metadata()));
  }

  /** Gives the slot back when the call closes (see the class comment for the ordering). */
  private final class Releasing
      extends ForwardingClientCallListener.SimpleForwardingClientCallListener<R> {
    private boolean released;

    Releasing(Listener<R> delegate) {
      super(delegate);
    }

    @Override
    public void onClose(Status status, Metadata trailers) {
      if (!released) {
        released = true;
        pool.release();
      }
      super.onClose(status, trailers);
    }
  }
}
