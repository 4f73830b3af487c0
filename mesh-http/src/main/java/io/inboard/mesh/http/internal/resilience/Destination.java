package io.inboard.mesh.http.internal.resilience;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.inboard.mesh.api.ServiceName;
import io.inboard.mesh.api.ServiceUnavailableException;
import io.inboard.mesh.api.policy.ClientPolicy;
import io.inboard.mesh.api.policy.ConnectionPoolSettings;
import io.inboard.mesh.api.policy.LoadBalancerPolicy;
import io.inboard.mesh.api.internal.telemetry.MeshHealthMetrics;
import io.inboard.mesh.http.internal.lb.EndpointSet;
import io.inboard.mesh.http.internal.telemetry.ClusterStats;
import io.inboard.mesh.http.internal.transport.Transport;
import java.util.function.Supplier;

/**
 * Where a {@link RetryingCall} sends its tries: one service port (or xDS cluster) under one
 * effective policy. It ties together the {@link EndpointSet} (which endpoint a try goes to),
 * the {@link DestinationGuards} (whether a call or retry may go at all) and the
 * {@link Transport}; each of them keeps its own state.
 */
public final class Destination {

  private final ServiceName service;
  private final ClientPolicy policy;
  private final CallPolicy defaultCall;
  private final EndpointSet endpoints;
  private final DestinationGuards guards;
  private final Transport transport;
  private final Supplier<String> refusal;
  private final ClusterStats stats;

  /**
   * A destination without telemetry.
   *
   * @param breaker the circuit breaker for {@code policy}'s settings (shared by name), or
   *     {@code null} when {@code policy} has none
   */
  public Destination(ServiceName service, ClientPolicy policy, CircuitBreaker breaker,
      Transport transport) {
    this(service, policy, breaker, transport, ClusterStats.NONE, NEVER_REFUSED);
  }

  /**
   * @param breaker the circuit breaker for {@code policy}'s settings (shared by name), or
   *     {@code null} when {@code policy} has none
   * @param stats the cluster's name and health metrics
   */
  public Destination(ServiceName service, ClientPolicy policy, CircuitBreaker breaker,
      Transport transport, ClusterStats stats) {
    this(service, policy, breaker, transport, stats, NEVER_REFUSED);
  }

  private static final Supplier<String> NEVER_REFUSED = () -> null;

  /**
   * @param breaker the circuit breaker for {@code policy}'s settings (shared by name), or
   *     {@code null} when {@code policy} has none
   * @param stats the cluster's name and health metrics
   * @param refusal asked per call: why no call may go now (the destination needs mTLS and the
   *     workload has no certificate), or {@code null}
   */
  public Destination(ServiceName service, ClientPolicy policy, CircuitBreaker breaker,
      Transport transport, ClusterStats stats, Supplier<String> refusal) {
    this.refusal = refusal;
    this.stats = stats;
    this.service = service;
    this.policy = policy;
    this.defaultCall = CallPolicy.of(policy);
    this.endpoints = new EndpointSet(service,
        policy.loadBalancer().orElse(LoadBalancerPolicy.ROUND_ROBIN), policy.outlierDetection(),
        transport.secure());
    this.guards = DestinationGuards.of(
        policy.connectionPool().orElse(ConnectionPoolSettings.DEFAULT), breaker);
    this.transport = transport;
    endpoints.onEjection(() -> stats.count(MeshHealthMetrics.Counter.EJECTION));
  }

  /**
   * Starts this cluster's gauges: calls in flight, 1 while the request limit is reached, and
   * the endpoints ejected now. {@link #close} stops them.
   */
  public void registerGauges() {
    AdmissionControl admission = guards.admission();
    stats.gauge(MeshHealthMetrics.Gauge.ACTIVE_REQUESTS, admission::active);
    stats.gauge(MeshHealthMetrics.Gauge.CIRCUIT_OPEN,
        () -> admission.active() >= admission.maxActive() ? 1 : 0);
    stats.gauge(MeshHealthMetrics.Gauge.EJECTIONS_ACTIVE, endpoints::ejectedNow);
  }

  /** The cluster's name and health metrics. */
  public ClusterStats stats() {
    return stats;
  }

  /** The service port this destination serves. */
  public ServiceName service() {
    return service;
  }

  /** The effective policy the destination was built with. */
  public ClientPolicy policy() {
    return policy;
  }

  /** The per-call part of {@link #policy}, for calls that bring none of their own. */
  public CallPolicy defaultCall() {
    return defaultCall;
  }

  /**
   * Why no call may be sent to this destination now, as the caller's error; {@code null} when
   * calls may go. Such a call fails at once, without touching endpoints, retries or breakers.
   */
  public ServiceUnavailableException refusal() {
    String why = refusal.get();
    return why == null ? null
        : new ServiceUnavailableException(service, ServiceUnavailableException.Reason.TLS_UNAVAILABLE,
            why);
  }

  /** The endpoints, their health and the picker. */
  public EndpointSet endpoints() {
    return endpoints;
  }

  /** Admission, retry budget and circuit breaker. */
  public DestinationGuards guards() {
    return guards;
  }

  Transport transport() {
    return transport;
  }

  /** Stops the endpoints' discovery watch and the cluster's gauges. */
  public void close() {
    stats.close();
    endpoints.close();
  }
}
