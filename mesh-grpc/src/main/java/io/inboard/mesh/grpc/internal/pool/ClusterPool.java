package io.inboard.mesh.grpc.internal.pool;

import io.inboard.mesh.api.ServiceName;
import io.inboard.mesh.api.ServiceUnavailableException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The connection-pool counters of one cluster in this process, lock-free: at most {@code
 * maxRequests} calls in flight, at most {@code maxPendingRequests} more waiting in FIFO order for
 * a slot, anything beyond shed at once; at most {@code maxRetries} retries in flight. A call
 * holds its slot from admission until it closes, through all the tries the route filter makes.
 * Limits may change while calls are in flight: a lower limit admits nothing new until enough
 * calls ended, a higher one admits waiting calls at once.
 */
public final class ClusterPool {

  /** What {@link #admit} did with a call. */
  public enum Admission {
    /** It holds a slot now; the waiter was not run. */
    ADMITTED,
    /** It waits; the waiter runs once it holds a slot (on the releasing thread). */
    QUEUED,
    /** No slot and no room to wait: the call must fail at once. */
    SHED
  }

  private final String cluster;
  private final ServiceName service;
  private volatile PoolLimits limits;
  private final AtomicInteger active = new AtomicInteger();
  private final AtomicInteger pending = new AtomicInteger();
  private final AtomicInteger retries = new AtomicInteger();
  private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();

  ClusterPool(String cluster, PoolLimits limits) {
    this.cluster = cluster;
    this.service = serviceOf(cluster);
    this.limits = limits;
  }

  /** The cluster's name, as in CDS. */
  public String cluster() {
    return cluster;
  }

  /** The current limits. */
  public PoolLimits limits() {
    return limits;
  }

  void limits(PoolLimits next) {
    limits = next;
    drain(); // a higher limit admits waiting calls now
  }

  /**
   * Takes a slot, or queues {@code waiter} (run once a slot is taken for it), or refuses. A
   * queued call never loses its place to a later one, except to a call that finds a slot free
   * while the queue is being drained.
   */
  public Admission admit(Runnable waiter) {
    if (queue.isEmpty() && tryAcquire()) {
      return Admission.ADMITTED;
    }
    if (pending.incrementAndGet() > limits.maxPendingRequests()) {
      pending.decrementAndGet();
      return Admission.SHED;
    }
    queue.add(waiter);
    drain(); // a slot may have been freed between the failed acquire and the add
    return Admission.QUEUED;
  }

  /** Frees a slot taken by an admitted call, and hands it to the first waiting one. */
  public void release() {
    active.decrementAndGet();
    drain();
  }

  /**
   * Forgets a waiter whose call ended while it waited (cancelled, deadline passed).
   *
   * @return false when it was no longer waiting: it holds a slot, or is about to
   */
  public boolean withdraw(Runnable waiter) {
    if (queue.remove(waiter)) {
      pending.decrementAndGet();
      return true;
    }
    return false;
  }

  /** Takes one of the retries in flight ({@code maxRetries}); false when none is left. */
  public boolean tryRetry() {
    while (true) {
      int n = retries.get();
      if (n >= limits.maxRetries()) {
        return false;
      }
      if (retries.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  /** Whether a retry may start now: fewer than {@code maxRetries} are in flight. */
  public boolean retryRoom() {
    return retries.get() < limits.maxRetries();
  }

  /**
   * Counts a retry that started after {@link #retryRoom} allowed it, unconditionally: grpc's
   * own retries are checked at their pick and counted once their stream exists, so that a pick
   * grpc makes again for the same stream counts nothing.
   */
  public void retryStarted() {
    retries.incrementAndGet();
  }

  /** Gives back a retry taken by {@link #tryRetry} or {@link #retryStarted}, once it ended. */
  public void retryDone() {
    retries.decrementAndGet();
  }

  /** Calls in flight (holding a slot). */
  public int active() {
    return active.get();
  }

  /** Calls waiting for a slot. */
  public int pending() {
    return pending.get();
  }

  /** Retries in flight. */
  public int retries() {
    return retries.get();
  }

  /** The refusal of a shed call: names the cluster and the limits it met. */
  public ServiceUnavailableException overloaded() {
    PoolLimits l = limits;
    return new ServiceUnavailableException(service, ServiceUnavailableException.Reason.OVERLOADED,
        "cluster " + cluster + " has " + l.maxRequests() + " call(s) in flight"
            + " (connectionPool.http.http2MaxRequests) and " + l.maxPendingRequests()
            + " waiting (connectionPool.http.http1MaxPendingRequests), its limits");
  }

  private boolean tryAcquire() {
    while (true) {
      int n = active.get();
      if (n >= limits.maxRequests()) {
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
        active.decrementAndGet(); // another drain took it
        continue;
      }
      pending.decrementAndGet();
      next.run();
    }
  }

  /**
   * The service of an Istio cluster name {@code outbound|port|subset|name.namespace.svc...}, for
   * the refusal's message; the whole name (namespace "default") for any other cluster name.
   */
  static ServiceName serviceOf(String cluster) {
    String[] parts = cluster.split("\\|", -1);
    String host = parts.length == 4 ? parts[3] : cluster;
    int plaintext = host.indexOf('~');
    if (plaintext >= 0) {
      host = host.substring(0, plaintext);
    }
    String[] labels = host.split("\\.");
    try {
      return labels.length >= 2 ? ServiceName.of(labels[0], labels[1])
          : ServiceName.of(host, "default");
    } catch (IllegalArgumentException notDnsNames) {
      return ServiceName.of("unknown", "default");
    }
  }
}
