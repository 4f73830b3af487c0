package io.inboard.mesh.grpc.internal.client;

import static java.util.Objects.requireNonNull;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.ServiceName;
import io.inboard.mesh.api.internal.InternalMesh;
import io.inboard.mesh.api.policy.CircuitBreakerPolicy;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code mesh-grpc} keeps per {@link Mesh}: the circuit breakers, one per destination
 * service. It lives in the mesh's own state slot, so closing the mesh forgets it and tests with
 * several meshes in one JVM do not share breakers.
 */
public final class MeshGrpcState {

  private static final Logger log = LoggerFactory.getLogger(MeshGrpcState.class);
  private static final InternalMesh.StateKey<MeshGrpcState> KEY =
      InternalMesh.StateKey.of("mesh-grpc breakers", MeshGrpcState.class);

  private final CircuitBreakerRegistry breakers = CircuitBreakerRegistry.ofDefaults();
  private final Map<String, CircuitBreakerPolicy> policies = new ConcurrentHashMap<>();

  private MeshGrpcState() {}

  /**
   * The state of {@code mesh}, created on first use.
   *
   * @throws IllegalStateException if the mesh is closed
   */
  public static MeshGrpcState of(Mesh mesh) {
    return InternalMesh.state(requireNonNull(mesh, "mesh"), KEY, MeshGrpcState::new);
  }

  /** The breaker of {@code service}, if a client of this mesh configured one. */
  public static Optional<CircuitBreaker> find(Mesh mesh, ServiceName service) {
    String name = breakerName(requireNonNull(service, "service"));
    return InternalMesh.findState(requireNonNull(mesh, "mesh"), KEY)
        .flatMap(state -> state.breakers.find(name));
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
}
