package io.inboard.mesh.http.internal;

import io.inboard.mesh.api.internal.InternalMesh;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.ServiceName;
import io.inboard.mesh.api.ServiceUnavailableException;
import io.inboard.mesh.api.ServiceUnavailableException.Reason;
import io.inboard.mesh.api.policy.ClientPolicy;
import io.inboard.mesh.http.internal.resilience.CallPolicy;
import io.inboard.mesh.http.internal.resilience.CallTimers;
import io.inboard.mesh.http.internal.resilience.CircuitBreakers;
import io.inboard.mesh.http.internal.resilience.Destination;
import io.inboard.mesh.http.internal.resilience.RetryingCall;
import io.inboard.mesh.http.internal.router.BoundService;
import io.inboard.mesh.http.internal.router.Router;
import io.inboard.mesh.http.internal.telemetry.CallObservation;
import io.inboard.mesh.http.internal.telemetry.ClusterStats;
import io.inboard.mesh.http.internal.tls.UpstreamTls;
import java.lang.reflect.Method;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router without a control plane: one {@link Destination} per service port, created on
 * first use and fed by the mesh's discovery, under the effective policy of the client's layer
 * (or a declarative interface's) and the mesh's. A call picks the destination from a map and
 * starts a {@link RetryingCall} on it.
 */
final class KubernetesRouter implements Router {

  private static final Logger log = LoggerFactory.getLogger(KubernetesRouter.class);

  private final Mesh mesh;
  private final Function<ServiceName, ClientPolicy> clientLayer;
  private final DestinationFactory factory;
  private final CallTimers timers;
  private final Duration discoveryTimeout;
  private final Map<ServiceName, Destination> destinations = new ConcurrentHashMap<>();

  KubernetesRouter(Mesh mesh, Function<ServiceName, ClientPolicy> clientLayer,
      DestinationFactory factory, CallTimers timers, Duration discoveryTimeout) {
    this.mesh = mesh;
    this.clientLayer = clientLayer;
    this.factory = factory;
    this.timers = timers;
    this.discoveryTimeout = discoveryTimeout;
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> send(ServiceName service, HttpRequest request,
      BodyHandler<T> handler, CallObservation call) {
    Destination d = destinations.get(service);
    if (d == null) {
      d = destination(service, clientLayer.apply(service));
    }
    return call(d, d.defaultCall(), request, handler, call);
  }

  @Override
  public BoundService bind(ServiceName service, ClientPolicy typeLayer) {
    return new Bound(destination(service, typeLayer));
  }

  private <T> CompletableFuture<HttpResponse<T>> call(Destination destination, CallPolicy policy,
      HttpRequest request, BodyHandler<T> handler, CallObservation call) {
    if (call != null) {
      call.cluster(destination.stats());
    }
    if (destination.endpoints().current() != null) {
      return RetryingCall.start(destination, policy, request, handler, timers, call);
    }
    // First call: wait (without blocking a thread) for discovery's first answer, up to the bound.
    return destination.endpoints().discovered().thenCompose(
        v -> RetryingCall.start(destination, policy, request, handler, timers, call));
  }

  /**
   * The destination for {@code service}, created and subscribed on first use. Its
   * destination-wide settings (load balancer, pool, outlier detection, circuit breaker) come from
   * the first creator's layer; a later, different layer is reported in the log.
   */
  private Destination destination(ServiceName service, ClientPolicy layer) {
    Destination d = destinations.get(service);
    ClientPolicy effective = InternalMesh.effectivePolicy(mesh, service.withoutPort(), layer);
    if (d != null) {
      warnIfDifferent(d, effective);
      return d;
    }
    Destination created = factory.create(CircuitBreakers.name(service),
        ClusterStats.kubernetesName(service, mesh.settings().clusterDomain()), service, effective,
        UpstreamTls.PLAINTEXT);
    Destination raced = destinations.putIfAbsent(service, created);
    if (raced != null) {
      warnIfDifferent(raced, effective);
      return raced;
    }
    timers.scheduler().schedule(() -> created.endpoints().discoveryTimedOut(
            new ServiceUnavailableException(service, Reason.NOT_YET_DISCOVERED,
                "no answer from discovery within " + discoveryTimeout.toMillis() + " ms")),
        discoveryTimeout.toNanos(), TimeUnit.NANOSECONDS);
    created.endpoints().subscribe(InternalMesh.discovery(mesh));
    return created;
  }

  private static void warnIfDifferent(Destination d, ClientPolicy effective) {
    ClientPolicy p = d.policy();
    if (!p.loadBalancer().equals(effective.loadBalancer())
        || !p.connectionPool().equals(effective.connectionPool())
        || !p.outlierDetection().equals(effective.outlierDetection())
        || !p.circuitBreaker().equals(effective.circuitBreaker())) {
      log.warn("{}: destination settings {} differ from the ones already in force {}; the"
          + " load balancer, connection pool, outlier detection and circuit breaker are per"
          + " service, so the first ones stay", d.service(), effective, p);
    }
  }

  @Override
  public void close() {
    for (Destination d : destinations.values()) {
      d.close();
    }
  }

  /** A declarative client's service: its destination, created when the client was. */
  private final class Bound implements BoundService {
    private final Destination destination;

    Bound(Destination destination) {
      this.destination = destination;
    }

    @Override
    public ServiceName service() {
      return destination.service();
    }

    @Override
    public void checkAnnotations(Class<?> type, ClientPolicy typeAnnotations,
        Map<Method, ClientPolicy> methodAnnotations) {
      methodAnnotations.forEach(this::checkCircuitBreaker);
    }

    // The breaker is per service, so a method cannot have its own; say so instead of ignoring it.
    private void checkCircuitBreaker(Method m, ClientPolicy methodLayer) {
      ClientPolicy p = destination.policy();
      if (methodLayer.circuitBreaker().isPresent()
          && !methodLayer.circuitBreaker().equals(p.circuitBreaker())) {
        throw new IllegalArgumentException(m.getDeclaringClass().getName() + "." + m.getName()
            + " @CircuitBreaker: " + methodLayer.circuitBreaker().get() + " (expected: on the"
            + " interface only, or equal to the service's " + p.circuitBreaker()
            .map(Object::toString).orElse("none") + "; the breaker is shared per service)");
      }
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> send(CallPolicy policy, HttpRequest request,
        BodyHandler<T> handler, CallObservation call) {
      return call(destination, policy, request, handler, call);
    }
  }
}
