package io.inboard.mesh.http.internal.resilience;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.inboard.mesh.api.ServiceUnavailableException;
import io.inboard.mesh.api.ServiceUnavailableException.Reason;
import io.inboard.mesh.api.internal.telemetry.MeshHealthMetrics.Counter;
import io.inboard.mesh.api.internal.telemetry.MeshTracing;
import io.inboard.mesh.http.internal.lb.EndpointSnapshot;
import io.inboard.mesh.http.internal.lb.EndpointState;
import io.inboard.mesh.http.internal.lb.HashKeys;
import io.inboard.mesh.http.internal.lb.TryOutcome;
import io.inboard.mesh.http.internal.telemetry.CallObservation;
import io.inboard.mesh.http.internal.telemetry.ClusterStats;
import io.inboard.mesh.http.internal.telemetry.ResponseFlags;
import io.inboard.mesh.http.internal.transport.Requests;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One logical call to a destination: circuit-breaker permission, admission, then tries with
 * backoff until a try succeeds, the retries run out, or the overall timeout passes.
 *
 * <p>Nothing blocks. Steps run on the JDK client's executor (try completions) and on the
 * client's scheduler (backoff, deadline). The step fields ({@code tries}, {@code previous},
 * {@code holdsRetryBudget}) are touched by one step at a time; each step starts from the
 * previous one's completion, which orders them.
 *
 * <p>Telemetry: each try is an attempt of the call's {@link CallObservation} (its span's trace
 * headers replace the request's); the cluster's health counters count retries, an exhausted
 * retry limit (flag {@code URX}, also when the last try was a retriable 5xx response, as in
 * Envoy), overflows ({@code UO}) and timeouts ({@code UT}).
 */
public final class RetryingCall<T> {

  private static final int PENDING = 0;
  private static final int ADMITTED = 1;
  private static final int FINISHED = 2;

  private final Destination destination;
  private final CallPolicy policy;
  private final HttpRequest request;
  private final BodyHandler<T> handler;
  private final ScheduledExecutorService scheduler;
  private final CoarseDeadlines deadlines;
  private final CircuitBreaker breaker;
  private final long hash;
  private final CallObservation call; // null: telemetry notes nothing
  private final ClusterStats stats;
  private final CompletableFuture<HttpResponse<T>> result = new CompletableFuture<>();
  private final AtomicInteger admission = new AtomicInteger(PENDING);
  private final AtomicBoolean settled = new AtomicBoolean();
  private final Runnable onAdmitted = this::onAdmitted;
  private long startNanos;
  private long deadlineNanos;
  private volatile CoarseDeadlines.Handle deadlineTimer;
  private volatile CompletableFuture<HttpResponse<T>> inFlight;

  private int tries;
  private EndpointState previous;
  private boolean holdsRetryBudget;
  private boolean perTryTimeoutBinds; // the last try's timeout is its per-try one (not the call's)

  private RetryingCall(Destination destination, CallPolicy policy, HttpRequest request,
      BodyHandler<T> handler, CallTimers timers, CallObservation call) {
    this.destination = destination;
    this.call = call;
    this.stats = destination.stats();
    this.policy = policy;
    this.request = request;
    this.handler = handler;
    this.scheduler = timers.scheduler();
    this.deadlines = timers.deadlines();
    this.breaker = destination.guards().breaker();
    this.hash = policy.routeHashes() ? HashKeys.hash(policy.hashKey(), request)
        : HashKeys.hash(destination.endpoints().loadBalancer(), request);
  }

  /** Starts a call; the destination must have had discovery's first answer. */
  public static <T> CompletableFuture<HttpResponse<T>> start(Destination destination, CallPolicy policy,
      HttpRequest request, BodyHandler<T> handler, CallTimers timers) {
    return start(destination, policy, request, handler, timers, null);
  }

  /**
   * Starts a call observed by {@code call} ({@code null}: nothing noted); the destination must
   * have had discovery's first answer.
   */
  public static <T> CompletableFuture<HttpResponse<T>> start(Destination destination,
      CallPolicy policy, HttpRequest request, BodyHandler<T> handler, CallTimers timers,
      CallObservation call) {
    return new RetryingCall<>(destination, policy, request, handler, timers, call).start();
  }

  private CompletableFuture<HttpResponse<T>> start() {
    if (breaker != null && !breaker.tryAcquirePermission()) {
      stats.count(Counter.OVERFLOW);
      return CompletableFuture.failedFuture(new ServiceUnavailableException(
          destination.service().withoutPort(), Reason.CIRCUIT_OPEN,
          "circuit breaker '" + breaker.getName() + "' is " + breaker.getState()));
    }
    startNanos = System.nanoTime();
    // Also covers the caller cancelling the future; normally settle() already ran.
    result.whenComplete(this::settle);
    if (policy.timeoutNanos() > 0) {
      deadlineNanos = startNanos + policy.timeoutNanos();
      try {
        deadlineTimer = deadlines.arm(deadlineNanos, this::onDeadline);
      } catch (RejectedExecutionException e) {
        fail(new IllegalStateException("the mesh HTTP client is closed"));
        return result;
      }
    }
    AdmissionControl ac = destination.guards().admission();
    if (!ac.admit(onAdmitted)) {
      stats.count(Counter.OVERFLOW);
      fail(new ServiceUnavailableException(destination.service(),
          Reason.OVERLOADED, ac.active() + " calls in flight (limit " + ac.maxActive()
              + ") and " + ac.pending() + " pending (connection-pool limit reached)"));
    }
    return result;
  }

  private void onAdmitted() {
    if (!admission.compareAndSet(PENDING, ADMITTED)) {
      destination.guards().admission().release();
      return;
    }
    sendTry();
  }

  private void sendTry() {
    if (settled.get()) {
      releaseRetryBudget();
      return;
    }
    EndpointSnapshot snapshot = destination.endpoints().current();
    if (snapshot.error() != null) {
      releaseRetryBudget();
      Reason why = snapshot.error().reason();
      if (call != null && (why == Reason.NO_READY_ENDPOINTS || why == Reason.OVERLOADED)) {
        // none ready, or every one ejected: Envoy's "no healthy upstream"
        call.reply(ResponseFlags.NO_HEALTHY_UPSTREAM);
      }
      fail(snapshot.error());
      return;
    }
    long tryTimeout = policy.retry().perTryTimeout().toNanos();
    if (deadlineNanos != 0) {
      long remaining = deadlineNanos - System.nanoTime();
      if (remaining <= 0) {
        releaseRetryBudget();
        return; // the deadline timer completes the call
      }
      perTryTimeoutBinds = tryTimeout > 0 && tryTimeout < remaining;
      tryTimeout = tryTimeout > 0 ? Math.min(tryTimeout, remaining) : remaining;
    } else {
      perTryTimeoutBinds = tryTimeout > 0;
    }
    EndpointState endpoint = snapshot.picker().pick(hash, previous);
    previous = endpoint;
    tries++;
    endpoint.active.incrementAndGet();
    MeshTracing.Attempt span = call == null ? null
        : call.startAttempt(stats, endpoint.authority());
    CompletableFuture<HttpResponse<T>> f;
    try {
      f = destination.transport().send(
          Requests.readdress(request, endpoint, tryTimeout, span), handler);
    } catch (RuntimeException e) {
      endpoint.active.decrementAndGet();
      if (call != null) {
        call.endAttempt(span, null, e, endpoint.authority());
      }
      releaseRetryBudget();
      fail(e);
      return;
    }
    inFlight = f;
    if (settled.get()) {
      f.cancel(true);
    }
    f.whenComplete((response, failure) -> onTryComplete(endpoint, span, response, failure));
  }

  private void onTryComplete(EndpointState endpoint, MeshTracing.Attempt span,
      HttpResponse<T> response, Throwable failure) {
    endpoint.active.decrementAndGet();
    if (call != null) {
      call.endAttempt(span, response, failure, endpoint.authority());
    }
    releaseRetryBudget();
    TryOutcome outcome = TryOutcome.of(response, failure);
    destination.endpoints().record(endpoint, outcome);
    if (settled.get()) {
      Requests.discard(response);
      return;
    }
    if (RetriableOutcomes.retriable(outcome, policy.retry().retryOn(), response)) {
      if (tries <= policy.retry().attempts()) {
        if (scheduleRetry()) {
          stats.count(Counter.RETRY);
          Requests.discard(response);
          return;
        }
      } else if (policy.retry().attempts() > 0) {
        // the retry limit stopped a retriable outcome: Envoy's URX, response or not
        stats.count(Counter.RETRY_LIMIT_EXCEEDED);
        if (call != null) {
          call.flag(ResponseFlags.URX);
        }
      }
    }
    if (outcome == TryOutcome.TIMEOUT && failure != null) {
      // the last try's own timeout, or the call's deadline reached by it before the timer
      if (call != null) {
        call.reply(perTryTimeoutBinds ? ResponseFlags.PER_TRY_TIMEOUT : ResponseFlags.TIMEOUT);
      }
    }
    if (failure != null) {
      fail(TryOutcome.unwrap(failure));
    } else {
      settle(response, null);
      if (!result.complete(response)) {
        Requests.discard(response);
      }
    }
  }

  // Bookkeeping first, completion second: a caller woken by the completion must already see
  // the slot released and the circuit breaker updated.
  private void fail(Throwable failure) {
    settle(null, failure);
    result.completeExceptionally(failure);
  }

  private boolean scheduleRetry() {
    long delay = Backoff.delayNanos(policy.retry(), tries);
    if (deadlineNanos != 0 && System.nanoTime() + delay - deadlineNanos >= 0) {
      return false;
    }
    if (!destination.guards().retryBudget().tryAcquire()) {
      return false;
    }
    holdsRetryBudget = true;
    try {
      scheduler.schedule(this::sendTry, delay, TimeUnit.NANOSECONDS);
      return true;
    } catch (RejectedExecutionException e) {
      releaseRetryBudget();
      return false;
    }
  }

  private void releaseRetryBudget() {
    if (holdsRetryBudget) {
      holdsRetryBudget = false;
      destination.guards().retryBudget().release();
    }
  }

  private void onDeadline() {
    if (settled.get()) {
      return;
    }
    if (call != null) {
      call.reply(ResponseFlags.TIMEOUT);
    }
    fail(new HttpTimeoutException("call to " + destination.service()
        + " timed out after " + TimeUnit.NANOSECONDS.toMillis(policy.timeoutNanos())
        + " ms (the timeout covers all tries)"));
  }

  // Runs once, whichever way the call ended (including cancellation by the caller).
  private void settle(HttpResponse<T> response, Throwable failure) {
    if (!settled.compareAndSet(false, true)) {
      return;
    }
    if (failure instanceof HttpTimeoutException
        && !(failure instanceof HttpConnectTimeoutException)) {
      // counted here, where only the first of the deadline and the last try's timeout gets
      stats.count(Counter.TIMEOUT);
    }
    CoarseDeadlines.Handle timer = deadlineTimer;
    if (timer != null) {
      timer.cancel();
    }
    int was = admission.getAndSet(FINISHED);
    if (was == ADMITTED) {
      destination.guards().admission().release();
    } else if (was == PENDING) {
      destination.guards().admission().withdraw(onAdmitted);
    }
    if (failure != null) {
      CompletableFuture<HttpResponse<T>> f = inFlight;
      if (f != null && !f.isDone()) {
        f.cancel(true);
      }
    }
    if (breaker != null) {
      recordBreaker(response, failure);
    }
  }

  private void recordBreaker(HttpResponse<T> response, Throwable failure) {
    long took = System.nanoTime() - startNanos;
    if (failure == null) {
      if (response.statusCode() >= 500) {
        breaker.onError(took, TimeUnit.NANOSECONDS, new ServerErrorResponse(response.statusCode()));
      } else {
        breaker.onSuccess(took, TimeUnit.NANOSECONDS);
      }
      return;
    }
    Throwable t = TryOutcome.unwrap(failure);
    boolean local = t instanceof CancellationException
        || (t instanceof ServiceUnavailableException s && s.reason() == Reason.OVERLOADED);
    if (local) {
      // Shed or abandoned here: says nothing about the service's health.
      breaker.releasePermission();
    } else {
      breaker.onError(took, TimeUnit.NANOSECONDS, t);
    }
  }
}
