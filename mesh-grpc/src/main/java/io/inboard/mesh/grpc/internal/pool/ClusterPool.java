package io.inboard.mesh.grpc.internal.pool;

import io.inboard.mesh.api.ServiceName;
import io.inboard.mesh.api.ServiceUnavailableException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The connection-pool counters of one cluster in this process, lock-free, kept as Envoy's
 * circuit breakers keep them for an HTTP/2 cluster: at most {@code maxRequests} calls in flight
 * (a call over it is shed at once), at most {@code maxPendingRequests} calls waiting for a
 * connection to carry their stream (one over it is shed too), at most {@code maxRetries} retries
 * in flight. A call holds its slot from admission until it closes, through all the tries the
 * route filter makes. Limits may change while calls are in flight: a lower limit admits nothing
 * new until enough calls ended.
 */
public final class ClusterPool {

  private final String cluster;
  private final ServiceName service;
  private volatile PoolLimits limits;
  private final AtomicInteger active = new AtomicInteger();
  private final AtomicInteger pending = new AtomicInteger();
  private final AtomicInteger retries = new AtomicInteger();

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
  }

  /** Takes a slot for a call; false when {@code maxRequests} calls are in flight already. */
  public boolean tryAdmit() {
    return tryIncrement(active, limits.maxRequests());
  }

  /** Frees a slot taken by {@link #tryAdmit}. */
  public void release() {
    active.decrementAndGet();
  }

  /**
   * Counts a call that waits for a connection to carry its stream; false when {@code
   * maxPendingRequests} wait already (nothing is counted then).
   */
  public boolean tryWait() {
    return tryIncrement(pending, limits.maxPendingRequests());
  }

  /** A call counted by {@link #tryWait} got its stream, or ended. */
  public void waitDone() {
    pending.decrementAndGet();
  }

  /** Takes one of the retries in flight ({@code maxRetries}); false when none is left. */
  public boolean tryRetry() {
    return tryIncrement(retries, limits.maxRetries());
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

  /** Calls waiting for a connection to carry their stream. */
  public int pending() {
    return pending.get();
  }

  /** Retries in flight. */
  public int retries() {
    return retries.get();
  }

  /** Adds one to {@code counter} unless it is at {@code limit} already. */
  private static boolean tryIncrement(AtomicInteger counter, int limit) {
    while (true) {
      int n = counter.get();
      if (n >= limit) {
        return false;
      }
      if (counter.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  /** The refusal of a call shed over {@code maxRequests}: names the cluster and the limit. */
  public ServiceUnavailableException overloaded() {
    return new ServiceUnavailableException(service, ServiceUnavailableException.Reason.OVERLOADED,
        "cluster " + cluster + " has " + limits.maxRequests() + " call(s) in flight"
            + " (connectionPool.http.http2MaxRequests), its limit");
  }

  /**
   * The refusal of a call shed over {@code maxPendingRequests}: names the cluster and the limit.
   */
  public ServiceUnavailableException overloadedWaiting() {
    return new ServiceUnavailableException(service, ServiceUnavailableException.Reason.OVERLOADED,
        "cluster " + cluster + " has " + limits.maxPendingRequests() + " call(s) waiting for a"
            + " connection (connectionPool.http.http1MaxPendingRequests), its limit");
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
