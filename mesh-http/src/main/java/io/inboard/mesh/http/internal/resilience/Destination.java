package io.inboard.mesh.http.internal.resilience;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.inboard.mesh.api.ServiceName;
import io.inboard.mesh.api.ServiceUnavailableException.Reason;
import io.inboard.mesh.api.ServiceUnavailableException;
import io.inboard.mesh.api.discovery.Endpoint;
import io.inboard.mesh.api.discovery.EndpointDiscovery;
import io.inboard.mesh.api.discovery.EndpointListener;
import io.inboard.mesh.api.discovery.ServiceEndpoints;
import io.inboard.mesh.api.policy.ClientPolicy;
import io.inboard.mesh.api.policy.ConnectionPoolSettings;
import io.inboard.mesh.api.policy.LoadBalancerPolicy;
import io.inboard.mesh.http.internal.lb.DestinationSnapshot;
import io.inboard.mesh.http.internal.lb.EndpointState;
import io.inboard.mesh.http.internal.lb.Pickers;
import io.inboard.mesh.http.internal.transport.Transport;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Everything the client keeps for one service port: the discovery watch, the endpoint states,
 * the precomputed picker, the connection-pool limits, outlier ejection and the circuit breaker.
 *
 * <p>Discovery callbacks and ejections rebuild an immutable {@link DestinationSnapshot} under a
 * lock; calls only read the volatile snapshot.
 */
public final class Destination implements EndpointListener {

  private final ServiceName service;
  private final ClientPolicy policy;
  private final CallPolicy defaultCall;
  private final LoadBalancerPolicy loadBalancer;
  private final OutlierEjector ejector;
  private final AdmissionControl admission;
  private final RetryBudget retryBudget;
  private final CircuitBreaker breaker;
  private final Transport transport;
  private final CompletableFuture<Void> discovered = new CompletableFuture<>();

  private final Object lock = new Object();
  private volatile DestinationSnapshot snapshot;
  // Guarded by lock: the routable endpoints in address order, and why there are none.
  private List<EndpointState> routable = List.of();
  private ServiceUnavailableException discoveryError;
  private EndpointDiscovery.Subscription subscription;
  private boolean closed;
  // Guarded by lock: the zone whose endpoints take every call while any of them is available.
  private String preferredZone = "";

  public Destination(ServiceName service, ClientPolicy policy, CircuitBreaker breaker,
      Transport transport) {
    this.service = service;
    this.policy = policy;
    this.defaultCall = CallPolicy.of(policy);
    this.loadBalancer = policy.loadBalancer().orElse(LoadBalancerPolicy.ROUND_ROBIN);
    this.ejector = policy.outlierDetection().map(OutlierEjector::new).orElse(null);
    ConnectionPoolSettings pool = policy.connectionPool().orElse(ConnectionPoolSettings.DEFAULT);
    this.admission = AdmissionControl.of(pool);
    this.retryBudget = new RetryBudget(pool.maxRetries());
    this.breaker = breaker;
    this.transport = transport;
  }

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
          s = new EndpointState(e);
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
      snapshot = DestinationSnapshot.failed(error);
    }
    discovered.complete(null);
  }

  /**
   * Locality-aware priority: while any endpoint in {@code zone} is available (routable and not
   * ejected), calls go only to those; when none is, to every available endpoint, and back as
   * soon as one returns. {@code ""} (the default) spreads calls over every zone. Used in xDS
   * mode, where EDS localities carry each endpoint's zone.
   */
  public void preferZone(String zone) {
    synchronized (lock) {
      preferredZone = zone;
      if (snapshot != null && discoveryError == null) {
        rebuild(System.nanoTime(), -1);
      }
    }
  }

  // Caller holds lock.
  private List<EndpointState> byPriority(List<EndpointState> available) {
    if (preferredZone.isEmpty()) {
      return available;
    }
    List<EndpointState> local = new ArrayList<>(available.size());
    for (EndpointState e : available) {
      if (preferredZone.equals(e.endpoint().zone())) {
        local.add(e);
      }
    }
    return local.isEmpty() ? available : local;
  }

  /** Fails the wait for discovery's first answer; later answers still take effect. */
  public void discoveryTimedOut(ServiceUnavailableException error) {
    discovered.completeExceptionally(error);
  }

  /**
   * The snapshot calls read, or {@code null} before discovery's first answer. When an
   * ejection has run out, the first reader after that rebuilds it.
   */
  public DestinationSnapshot current() {
    DestinationSnapshot s = snapshot;
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
  void record(EndpointState endpoint, TryOutcome outcome) {
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
      snapshot = DestinationSnapshot.failed(discoveryError);
      return;
    }
    if (routable.isEmpty()) {
      String detail = knownEndpoints > 0
          ? knownEndpoints + " endpoints known, none ready or serving" : null;
      snapshot = DestinationSnapshot.failed(
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
    if (available.isEmpty()) {
      snapshot = new DestinationSnapshot(null, new ServiceUnavailableException(service,
          Reason.OVERLOADED, "all " + routable.size() + " endpoints are ejected by outlier detection"),
          nextReadmit, true);
      return;
    }
    snapshot = new DestinationSnapshot(
        Pickers.create(loadBalancer, byPriority(available)), null, nextReadmit, anyEjected);
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

  /** The service port this destination serves. */
  public ServiceName service() {
    return service;
  }

  /** The effective policy the destination was built with. */
  public ClientPolicy policy() {
    return policy;
  }

  /** The endpoints calls may go to now, ejected ones included, in address order. */
  public List<EndpointState> endpoints() {
    synchronized (lock) {
      return routable;
    }
  }

  public CallPolicy defaultCall() {
    return defaultCall;
  }

  LoadBalancerPolicy loadBalancer() {
    return loadBalancer;
  }

  AdmissionControl admission() {
    return admission;
  }

  RetryBudget retryBudget() {
    return retryBudget;
  }

  CircuitBreaker breaker() {
    return breaker;
  }

  Transport transport() {
    return transport;
  }

  public CompletableFuture<Void> discovered() {
    return discovered;
  }
}
