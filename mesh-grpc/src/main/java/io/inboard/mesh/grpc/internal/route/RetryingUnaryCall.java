package io.inboard.mesh.grpc.internal.route;

import io.grpc.Attributes;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.xds.InboardGrpcBridge;
import io.inboard.mesh.grpc.internal.pool.ClusterPool;
import io.inboard.mesh.grpc.internal.pool.ClusterPools;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A unary call whose retries the route filter runs, so that each try is bounded by the route's
 * per-try timeout (grpc's own retries cannot bound a try). Each try is its own call on the
 * channel below the filter, so it gets its own load-balancer pick and its own stream tracer.
 *
 * <ul>
 *   <li><b>Deadlines.</b> Every try carries the call's deadline: the earliest of the caller's
 *       deadline, its context's, and the call's start plus the route timeout. grpc's own per-method
 *       config (route retry policy and timeout) is set aside ({@link
 *       InboardGrpcBridge#withoutMethodConfig}), so that grpc neither retries inside a try nor
 *       restarts the route timeout for each.
 *   <li><b>Per-try timeout.</b> A timer on grpc's scheduler cancels a try that has no response
 *       headers when its per-try timeout passes; once headers arrived the try is committed and only
 *       the call's deadline bounds it (Envoy ignores a per-try timeout once the response started).
 *       Whether such a try is retried: see {@link AttemptPolicy}. If it is the last, the call ends
 *       {@code DEADLINE_EXCEEDED}.
 *   <li><b>Retries.</b> A try that ends before response headers with a status its policy retries
 *       is retried while tries remain, after Envoy's jittered backoff on grpc's scheduler, started
 *       on the call's executor in the caller's context. A retry whose backoff would outlast the
 *       call's deadline is not made; the last try's status is the call's. The route timeout ends
 *       the call with {@code DEADLINE_EXCEEDED} and is never retried.
 *   <li><b>Retry budget.</b> When the cluster has a connection pool ({@link ClusterPool}), a
 *       retry takes one of its {@code maxRetries} when it is scheduled and gives it back when
 *       its try ends; with none left the call ends with the last try's outcome, as Envoy does
 *       ({@code upstream_rq_retry_overflow}).
 *   <li><b>Cancellation.</b> The caller's cancel cancels the try in flight (or the pending
 *       backoff) and the call ends {@code CANCELLED}.
 * </ul>
 *
 * <p>The request is buffered (one message); responses are passed on as they arrive.
 */
final class RetryingUnaryCall<Q, R> extends ClientCall<Q, R> {

  private final MethodDescriptor<Q, R> method;
  private final Channel next;
  private final AttemptPolicy policy;
  private final ScheduledExecutorService scheduler;
  private final Executor executor;
  private final Context context = Context.current();
  private final Deadline deadline;
  private final CallOptions tryOptions;
  private final ClusterPool pool;

  // written by the caller before the first try, read by tries after
  private Listener<R> listener;
  private Metadata headers;
  private RequestCopy<Q> request;
  private Boolean compression;

  // guarded by this
  private int requested;
  private Attempt current;
  private int tries;
  private boolean cancelled;
  private boolean closed;
  private Future<?> backoff;
  private boolean retryToken;

  RetryingUnaryCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next,
      AttemptPolicy policy, long routeTimeoutNanos, ScheduledExecutorService scheduler) {
    this.method = method;
    this.next = next;
    this.policy = policy;
    this.scheduler = scheduler;
    // grpc's config-selecting call always sets the call's executor; without one, retries would
    // start on the scheduler's thread
    this.executor = options.getExecutor() != null ? options.getExecutor() : Runnable::run;
    Deadline route = routeTimeoutNanos > 0
        ? Deadline.after(routeTimeoutNanos, TimeUnit.NANOSECONDS) : null;
    this.deadline = MirroringCall.min(
        MirroringCall.min(options.getDeadline(), context.getDeadline()), route);
    this.pool = ClusterPools.forCall(options);
    CallOptions o = InboardGrpcBridge.withoutMethodConfig(options);
    // grpc put the route timeout into the options' deadline a moment earlier (from the method
    // config it selected), so that one is usually the earliest: then no second copy is needed
    this.tryOptions = deadline == null || deadline == o.getDeadline() ? o
        : o.withDeadline(deadline);
  }

  @Override
  public void start(Listener<R> listener, Metadata headers) {
    this.listener = listener;
    this.headers = headers;
  }

  @Override
  public void request(int n) {
    Attempt a;
    synchronized (this) {
      requested += n;
      a = current != null && current.started ? current : null;
    }
    if (a != null) {
      a.call.request(n);
    }
  }

  @Override
  public void sendMessage(Q message) {
    request = RequestCopy.of(message);
  }

  @Override
  public void halfClose() {
    startTry();
  }

  @Override
  public void setMessageCompression(boolean enabled) {
    compression = enabled;
  }

  @Override
  public boolean isReady() {
    return true;
  }

  @Override
  public Attributes getAttributes() {
    Attempt a;
    synchronized (this) {
      a = current;
    }
    return a != null && a.started ? a.call.getAttributes() : Attributes.EMPTY;
  }

  @Override
  public void cancel(String message, Throwable cause) {
    Attempt a;
    boolean closeHere;
    synchronized (this) {
      if (cancelled || closed) {
        return;
      }
      cancelled = true;
      a = current;
      if (backoff != null) {
        backoff.cancel(false);
        backoff = null;
      }
      closeHere = a == null && listener != null;
      closed |= closeHere;
    }
    if (a == null) {
      giveBackRetry(); // a retry waiting out its backoff
    }
    if (a != null) {
      if (a.started) { // otherwise startTry cancels it once started
        a.call.cancel(message, cause);
      }
    } else if (closeHere) {
      Status status = Status.CANCELLED.withDescription(message).withCause(cause);
      executor.execute(() -> listener.onClose(status, new Metadata()));
    }
  }

  private void startTry() {
    try {
      startTryOrThrow();
    } catch (RuntimeException | Error e) {
      giveBackRetry();
      // thrown by gRPC below us: end the call rather than leave the caller waiting forever
      boolean close;
      synchronized (this) {
        close = !closed && listener != null;
        closed = true;
        current = null;
      }
      if (close) {
        listener.onClose(Status.INTERNAL.withDescription("starting a try failed").withCause(e),
            new Metadata());
      }
    }
  }

  private void startTryOrThrow() {
    Attempt a;
    int toRequest;
    synchronized (this) {
      if (cancelled || closed || request == null) {
        if (retryToken) {
          retryToken = false;
          pool.retryDone();
        }
        return;
      }
      backoff = null;
      a = new Attempt(++tries);
      Context previous = context.attach();
      try {
        a.call = next.newCall(method, tryOptions);
      } finally {
        context.detach(previous);
      }
      current = a;
      toRequest = Math.max(requested, 1);
    }
    Metadata h = new Metadata();
    h.merge(headers);
    a.call.start(a, h);
    if (compression != null) {
      a.call.setMessageCompression(compression);
    }
    a.call.request(toRequest);
    a.call.sendMessage(request.get());
    a.call.halfClose();
    boolean cancelNow;
    synchronized (this) {
      a.started = true;
      cancelNow = cancelled;
      if (!cancelNow && (deadline == null
          || deadline.timeRemaining(TimeUnit.NANOSECONDS) > policy.perTryTimeoutNanos())) {
        a.timer = scheduler.schedule(() -> perTryTimeout(a), policy.perTryTimeoutNanos(),
            TimeUnit.NANOSECONDS);
      }
    }
    if (cancelNow) {
      a.call.cancel("call cancelled by the caller", null);
    }
  }

  /** Gives back the retry budget the current retry took, if any. */
  private void giveBackRetry() {
    boolean held;
    synchronized (this) {
      held = retryToken;
      retryToken = false;
    }
    if (held) {
      pool.retryDone();
    }
  }

  private void perTryTimeout(Attempt a) {
    synchronized (this) {
      if (a != current || a.committed || cancelled) {
        return;
      }
      a.timedOut = true;
    }
    a.call.cancel("per-try timeout", null);
  }

  /** One try: passes the response on once committed, decides at close whether to retry. */
  private final class Attempt extends Listener<R> {
    final int number;
    ClientCall<Q, R> call;
    boolean started; // guarded by RetryingUnaryCall.this, as are the two below
    boolean committed;
    boolean timedOut;
    Future<?> timer;

    Attempt(int number) {
      this.number = number;
    }

    @Override
    public void onHeaders(Metadata responseHeaders) {
      Future<?> t;
      synchronized (RetryingUnaryCall.this) {
        committed = true;
        t = timer;
      }
      if (t != null) {
        t.cancel(false);
      }
      listener.onHeaders(responseHeaders);
    }

    @Override
    public void onMessage(R message) {
      listener.onMessage(message);
    }

    @Override
    public void onClose(Status status, Metadata trailers) {
      Status out = status;
      boolean retry;
      giveBackRetry(); // this try, if a retry, is over
      synchronized (RetryingUnaryCall.this) {
        if (timer != null) {
          timer.cancel(false);
        }
        current = null;
        if (closed) {
          return;
        }
        if (timedOut) {
          out = Status.DEADLINE_EXCEEDED.withDescription("per-try timeout of "
              + TimeUnit.NANOSECONDS.toMillis(policy.perTryTimeoutNanos()) + " ms passed (try "
              + number + " of at most " + policy.maxAttempts() + ")");
        }
        boolean deadlinePassed = deadline != null && deadline.isExpired();
        retry = !committed && !cancelled && !deadlinePassed && tries < policy.maxAttempts()
            && (timedOut ? policy.retryPerTryTimeout() : policy.retryOn().contains(status.getCode()));
        if (retry) {
          long delay = policy.backoffNanos(tries);
          retry = deadline == null || deadline.timeRemaining(TimeUnit.NANOSECONDS) > delay;
          if (retry && pool != null) {
            retry = pool.tryRetry(); // none left: the last try's outcome is the call's
            retryToken = retry;
          }
          if (retry) {
            Runnable again = context.wrap(RetryingUnaryCall.this::startTry);
            backoff = scheduler.schedule(() -> executor.execute(again), delay,
                TimeUnit.NANOSECONDS);
          }
        }
        closed = !retry;
      }
      if (!retry) {
        listener.onClose(out, trailers);
      }
    }
  }
}
