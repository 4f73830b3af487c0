package io.inboard.mesh.http.internal.lb;

import io.inboard.mesh.api.ServiceName;
import io.inboard.mesh.api.ServiceUnavailableException;
import io.inboard.mesh.api.ServiceUnavailableException.Reason;
import io.inboard.mesh.api.discovery.Endpoint;
import io.inboard.mesh.api.discovery.EndpointDiscovery;
import io.inboard.mesh.api.discovery.EndpointListener;
import io.inboard.mesh.api.discovery.ServiceEndpoints;
import io.inboard.mesh.api.policy.LoadBalancerPolicy;
import io.inboard.mesh.api.policy.OutlierDetectionPolicy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The endpoints of one destination and the picker calls read: kept current by discovery (or
 * EDS), outlier ejection (with Envoy's panic mode: below {@code minHealthPercent} of endpoints
 * left in, picks ignore ejection) and locality priority.
 *
 * <p>Discovery callbacks, ejections and readmissions rebuild an immutable
 * {@link EndpointSnapshot} under a lock; calls only read the volatile snapshot.
 */
public final class EndpointSet implements EndpointListener {

  private final ServiceName service;
  private final LoadBalancerPolicy loadBalancer;
  private final boolean secure;
  private final OutlierEjector ejector;
  private final CompletableFuture<Void> discovered = new CompletableFuture<>();

  private final Object lock = new Object();
  private volatile EndpointSnapshot snapshot;
  // Guarded by lock: the routable endpoints in address order, and why there are none.
  private List<EndpointState> routable = List.of();
  private ServiceUnavailableException discoveryError;
  private EndpointDiscovery.Subscription subscription;
  private boolean closed;
  // Guarded by lock.
  private LocalityPriority locality = LocalityPriority.NONE;

  /**
   * @param loadBalancer how the picker chooses among available endpoints
   * @param outlierDetection when endpoints are ejected, if at all
   */
  public EndpointSet(ServiceName service, LoadBalancerPolicy loadBalancer,
      Optional<OutlierDetectionPolicy> outlierDetection) {
    this(service, loadBalancer, outlierDetection, false);
  }

  /**
   * @param loadBalancer how the picker chooses among available endpoints
   * @param outlierDetection when endpoints are ejected, if at all
   * @param secure whether tries to these endpoints go as {@code https}
   */
  public EndpointSet(ServiceName service, LoadBalancerPolicy loadBalancer,
      Optional<OutlierDetectionPolicy> outlierDetection, boolean secure) {
    this.secure = secure;
    this.service = service;
    this.loadBalancer = loadBalancer;
    this.ejector = outlierDetection.map(OutlierEjector::new).orElse(null);
  }

  /** Starts watching {@code discovery} for this set's service; stopped by {@link #close}. */
  public void subscribe(EndpointDiscovery discovery) {
    EndpointDiscovery.Subscription s = discovery.subscribe(service, this);
    synchronized (lock) {
      if (closed) {
        s.close();
      } else {
        subscription = s;
      }
    }
  }

  @Override
  public void onEndpoints(ServiceEndpoints endpoints) {
    List<Endpoint> latest = endpoints.routable();
    synchronized (lock) {
      Map<String, EndpointState> known = new HashMap<>();
      for (EndpointState s : routable) {
        known.put(s.authority(), s);
      }
      List<EndpointState> next = new ArrayList<>(latest.size());
      for (Endpoint e : latest) {
        EndpointState s = known.get(e.authority());
        if (s == null) {
          s = new EndpointState(e, secure);
        } else {
          s.update(e);
        }
        next.add(s);
      }
      next.sort(Comparator.comparing(EndpointState::authority));
      routable = List.copyOf(next);
      discoveryError = null;
      rebuild(System.nanoTime(), endpoints.endpoints().size());
    }
    discovered.complete(null);
  }

  @Override
  public void onError(ServiceUnavailableException error) {
    synchronized (lock) {
      routable = List.of();
      discoveryError = error;
      snapshot = EndpointSnapshot.failed(error);
    }
    discovered.complete(null);
  }

  /** Prefers endpoints in {@code zone} (see {@link LocalityPriority}); {@code ""}: none. */
  public void preferZone(String zone) {
    synchronized (lock) {
      locality = LocalityPriority.prefer(zone);
      if (snapshot != null && discoveryError == null) {
        rebuild(System.nanoTime(), -1);
      }
    }
  }

  /** Fails the wait for discovery's first answer; later answers still take effect. */
  public void discoveryTimedOut(ServiceUnavailableException error) {
    discovered.completeExceptionally(error);
  }

  /** Completes on discovery's first answer, or fails when {@link #discoveryTimedOut}. */
  public CompletableFuture<Void> discovered() {
    return discovered;
  }

  /**
   * The snapshot calls read, or {@code null} before discovery's first answer. When an
   * ejection has run out, the first reader after that rebuilds it.
   */
  public EndpointSnapshot current() {
    EndpointSnapshot s = snapshot;
    if (s != null && s.anyEjected()) {
      long now = System.nanoTime();
      if (s.readmitDue(now)) {
        synchronized (lock) {
          if (OutlierEjector.readmitDue(routable, now)) {
            rebuild(now, -1);
          }
          s = snapshot;
        }
      }
    }
    return s;
  }

  /** Records how a try to {@code endpoint} ended; may eject it. */
  public void record(EndpointState endpoint, TryOutcome outcome) {
    if (outcome == TryOutcome.LOCAL) {
      return;
    }
    if (ejector != null && ejector.countsSuccessRate()) {
      countForSuccessRate(endpoint, outcome.isServerFailure());
    }
    if (!outcome.isServerFailure()) {
      if (endpoint.consecutive5xx.get() != 0) {
        endpoint.consecutive5xx.set(0);
      }
      if (endpoint.consecutiveGatewayErrors.get() != 0) {
        endpoint.consecutiveGatewayErrors.set(0);
      }
      return;
    }
    endpoint.consecutive5xx.incrementAndGet();
    if (outcome.isGatewayFailure()) {
      endpoint.consecutiveGatewayErrors.incrementAndGet();
    } else if (endpoint.consecutiveGatewayErrors.get() != 0) {
      endpoint.consecutiveGatewayErrors.set(0);
    }
    if (ejector != null && ejector.shouldEject(endpoint)) {
      synchronized (lock) {
        long now = System.nanoTime();
        if (routable.contains(endpoint) && ejector.eject(endpoint, routable, now)) {
          rebuild(now, -1);
        }
      }
    }
  }

  private void countForSuccessRate(EndpointState endpoint, boolean failed) {
    endpoint.intervalTries.incrementAndGet();
    if (failed) {
      endpoint.intervalFailures.incrementAndGet();
    }
    long now = System.nanoTime();
    if (ejector.sweepDue(now)) {
      synchronized (lock) {
        if (ejector.sweepSuccessRate(routable, now)) {
          rebuild(now, -1);
        }
      }
    }
  }

  // Caller holds lock. knownEndpoints is only for the error message (-1: keep the old one).
  private void rebuild(long nowNanos, int knownEndpoints) {
    if (discoveryError != null) {
      snapshot = EndpointSnapshot.failed(discoveryError);
      return;
    }
    if (routable.isEmpty()) {
      String detail = knownEndpoints > 0
          ? knownEndpoints + " endpoints known, none ready or serving" : null;
      snapshot = EndpointSnapshot.failed(
          new ServiceUnavailableException(service, Reason.NO_READY_ENDPOINTS, detail));
      return;
    }
    List<EndpointState> available = new ArrayList<>(routable.size());
    long nextReadmit = 0;
    boolean anyEjected = false;
    for (EndpointState e : routable) {
      if (!e.ejected) {
        available.add(e);
      } else if (!anyEjected || e.ejectedUntilNanos - nextReadmit < 0) {
        nextReadmit = e.ejectedUntilNanos;
        anyEjected = true;
      }
    }
    if (anyEjected && ejector.inPanic(available.size(), routable.size())) {
      // Envoy's panic mode: too few endpoints left in, so calls go to all of them, ejected or
      // not, rather than overload the few (the ejections still run their course)
      available = routable;
    }
    if (available.isEmpty()) {
      snapshot = new EndpointSnapshot(null, new ServiceUnavailableException(service,
          Reason.OVERLOADED, "all " + routable.size() + " endpoints are ejected by outlier detection"),
          nextReadmit, true);
      return;
    }
    snapshot = new EndpointSnapshot(
        Pickers.create(loadBalancer, locality.apply(available)), null, nextReadmit, anyEjected);
  }

  /** Runs {@code listener} on each ejection (under this set's lock: it must be quick). */
  public void onEjection(Runnable listener) {
    if (ejector != null) {
      ejector.onEjection = listener;
    }
  }

  /** How many endpoints are ejected now (read by a gauge, at scrape time). */
  public long ejectedNow() {
    synchronized (lock) {
      long n = 0;
      for (EndpointState e : routable) {
        if (e.ejected && System.nanoTime() - e.ejectedUntilNanos < 0) {
          n++;
        }
      }
      return n;
    }
  }

  /** The endpoints calls may go to now, ejected ones included, in address order. */
  public List<EndpointState> endpoints() {
    synchronized (lock) {
      return routable;
    }
  }

  /** How the picker chooses, and where a destination-level hash key comes from. */
  public LoadBalancerPolicy loadBalancer() {
    return loadBalancer;
  }

  /** Stops the discovery watch. */
  public void close() {
    EndpointDiscovery.Subscription s;
    synchronized (lock) {
      closed = true;
      s = subscription;
      subscription = null;
    }
    if (s != null) {
      s.close();
    }
  }
}
