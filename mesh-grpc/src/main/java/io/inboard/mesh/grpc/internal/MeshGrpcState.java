package io.inboard.mesh.grpc.internal;

import static java.util.Objects.requireNonNull;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.ServiceName;
import io.inboard.mesh.api.policy.CircuitBreakerPolicy;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code mesh-grpc} keeps per {@link Mesh}: the circuit breakers, one per destination
 * service. The mesh owns it, so closing the mesh forgets it and tests with several meshes in one
 * JVM do not share breakers.
 */
public final class MeshGrpcState implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(MeshGrpcState.class);
  private static final Map<Mesh, MeshGrpcState> STATES = new ConcurrentHashMap<>();

  private final Mesh mesh;
  private final CircuitBreakerRegistry breakers = CircuitBreakerRegistry.ofDefaults();
  private final Map<String, CircuitBreakerPolicy> policies = new ConcurrentHashMap<>();

  private MeshGrpcState(Mesh mesh) {
    this.mesh = mesh;
  }

  /**
   * The state of {@code mesh}, created on first use.
   *
   * @throws IllegalStateException if the mesh is closed
   */
  public static MeshGrpcState of(Mesh mesh) {
    requireNonNull(mesh, "mesh");
    MeshGrpcState existing = STATES.get(mesh);
    if (existing != null) {
      return existing;
    }
    synchronized (STATES) {
      MeshGrpcState state = STATES.get(mesh);
      if (state == null) {
        state = mesh.own(new MeshGrpcState(mesh));
        STATES.put(mesh, state);
      }
      return state;
    }
  }

  /** The breaker of {@code service}, if a client of this mesh configured one. */
  public static Optional<CircuitBreaker> find(Mesh mesh, ServiceName service) {
    MeshGrpcState state = STATES.get(requireNonNull(mesh, "mesh"));
    String name = breakerName(requireNonNull(service, "service"));
    return state == null ? Optional.empty() : state.breakers.find(name);
  }

  /**
   * The breaker of {@code service}, created with {@code policy} on first use. A later client
   * asking with a different policy gets the existing breaker, and a warning: there is one breaker
   * per service, whichever client configured it first.
   */
  public CircuitBreaker breaker(ServiceName service, CircuitBreakerPolicy policy) {
    String name = breakerName(service);
    CircuitBreakerPolicy first = policies.putIfAbsent(name, policy);
    if (first != null && !first.equals(policy)) {
      log.warn("circuitBreaker for service '{}' in namespace '{}': {} ignored; the breaker already"
          + " exists with {} (one breaker per service per mesh)",
          service.name(), service.namespace(), policy, first);
    }
    return breakers.circuitBreaker(name, () -> config(first != null ? first : policy));
  }

  private static String breakerName(ServiceName service) {
    // One breaker per service, whichever of its ports a client calls.
    return service.withoutPort().toString();
  }

  private static CircuitBreakerConfig config(CircuitBreakerPolicy p) {
    return CircuitBreakerConfig.custom()
        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
        .failureRateThreshold(p.failureRateThreshold())
        .slidingWindowSize(p.slidingWindowSize())
        .minimumNumberOfCalls(p.minimumNumberOfCalls())
        .waitDurationInOpenState(p.waitDurationInOpenState())
        .permittedNumberOfCallsInHalfOpenState(p.permittedCallsInHalfOpenState())
        .build();
  }

  @Override
  public void close() {
    STATES.remove(mesh, this);
  }
}
