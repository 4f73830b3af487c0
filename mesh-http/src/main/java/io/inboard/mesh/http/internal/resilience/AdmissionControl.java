package io.inboard.mesh.http.internal.resilience;

import io.inboard.mesh.api.policy.ConnectionPoolSettings;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Connection-pool limits for one destination: at most {@code maxActive} calls in flight, at
 * most {@code maxPending} more waiting in order for one of their slots; anything beyond is shed
 * at once.
 *
 * <p>{@link #of} sets them as Envoy's circuit breakers act on an HTTP/1.1 pool, where one
 * connection carries one request at a time: a call over {@code maxRequests} is shed at once
 * ({@code max_requests} overflow), and a call that finds all {@code maxConnections} busy waits
 * for one, up to {@code maxPendingRequests} such calls ({@code max_pending_requests}). A call
 * holds its slot through all its tries and backoffs.
 */
public final class AdmissionControl {

  private final int maxActive;
  private final int maxPending;
  private final AtomicInteger active = new AtomicInteger();
  private final AtomicInteger pending = new AtomicInteger();
  private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();

  public AdmissionControl(int maxActive, int maxPending) {
    this.maxActive = maxActive;
    this.maxPending = maxPending;
  }

  static AdmissionControl of(ConnectionPoolSettings pool) {
    if (pool.maxRequests() <= pool.maxConnections()) {
      // the request limit binds first: over it a call is shed, never queued
      return new AdmissionControl(pool.maxRequests(), 0);
    }
    // the connections bind first: a call that finds them all busy waits for one
    return new AdmissionControl(pool.maxConnections(), pool.maxPendingRequests());
  }

  /**
   * Runs {@code task} now if a slot is free, or queues it if the queue has room.
   *
   * @return {@code false} when the call must be shed; {@code task} then never runs
   */
  public boolean admit(Runnable task) {
    if (tryAcquire()) {
      task.run();
      return true;
    }
    if (pending.incrementAndGet() > maxPending) {
      pending.decrementAndGet();
      return false;
    }
    queue.add(task);
    // A slot may have been freed between the failed acquire and the add.
    drain();
    return true;
  }

  /** Frees a slot taken by an admitted task, and hands it to a waiting one. */
  public void release() {
    active.decrementAndGet();
    drain();
  }

  /** Forgets a queued task whose call ended while it waited. */
  void withdraw(Runnable task) {
    if (queue.remove(task)) {
      pending.decrementAndGet();
    }
  }

  int active() {
    return active.get();
  }

  int pending() {
    return pending.get();
  }

  int maxActive() {
    return maxActive;
  }

  private boolean tryAcquire() {
    while (true) {
      int n = active.get();
      if (n >= maxActive) {
        return false;
      }
      if (active.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  private void drain() {
    while (!queue.isEmpty() && tryAcquire()) {
      Runnable next = queue.poll();
      if (next == null) {
        active.decrementAndGet();
        continue;
      }
      pending.decrementAndGet();
      next.run();
    }
  }
}
