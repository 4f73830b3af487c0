package io.inboard.mesh.http.internal;

import static java.util.Objects.requireNonNull;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.inboard.mesh.api.DiscoveryMode;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.ServiceName;
import io.inboard.mesh.api.ServiceUnavailableException;
import io.inboard.mesh.api.ServiceUnavailableException.Reason;
import io.inboard.mesh.api.internal.InternalMesh;
import io.inboard.mesh.api.policy.ClientPolicy;
import io.inboard.mesh.api.policy.ConnectionPoolSettings;
import io.inboard.mesh.http.server.Propagation;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine behind {@code MeshHttpClient}: destinations per service port, the threads, the
 * JDK transports and the circuit-breaker registry.
 *
 * <p>Threads: one executor for the JDK clients and call continuations (by default
 * {@code max(2, CPUs)} daemon threads, because the JDK client otherwise falls back to the common
 * pool, which starts a thread per request on small machines); one scheduler thread for
 * deadlines, backoffs and the discovery wait; and, only where the common pool has a single
 * worker, a pool of reused threads for blocking sends (see {@link Transport}).
 */
public final class ClientCore implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ClientCore.class);

  /** The most tries in flight at once when sends must block (see {@link Transport}). */
  static final int MAX_BLOCKING_SENDS = 256;

  private final Mesh mesh;
  private final Map<ServiceName, ClientPolicy> policies;
  private final ClientPolicy defaultPolicy;
  private final Duration discoveryTimeout;
  private final ExecutorService ownedExecutor;
  private final Executor executor;
  private final ScheduledThreadPoolExecutor scheduler;
  private final CallTimers timers;
  private final BlockingSends blockingPool;
  private final Transport passThrough;
  private final Map<Duration, Transport> transports = new ConcurrentHashMap<>();
  private final Map<ServiceName, Destination> destinations = new ConcurrentHashMap<>();
  private final CircuitBreakerRegistry breakers = CircuitBreakerRegistry.ofDefaults();
  private final MeshHosts hosts;
  // the control plane's routes and clusters, in xDS mode only
  private final XdsHttp xds;
  private final ClientTelemetry telemetry;
  private volatile boolean closed;

  /**
   * @param policies the client policy layer per service (keys without ports)
   * @param defaultPolicy the client layer for services not in {@code policies}
   * @param executor the executor for the JDK client, or {@code null} for an owned pool
   */
  public ClientCore(Mesh mesh, Map<ServiceName, ClientPolicy> policies, ClientPolicy defaultPolicy,
      Duration discoveryTimeout, Executor executor) {
    this.mesh = requireNonNull(mesh, "mesh");
    this.policies = Map.copyOf(policies);
    this.defaultPolicy = requireNonNull(defaultPolicy, "defaultPolicy");
    this.discoveryTimeout = requireNonNull(discoveryTimeout, "discoveryTimeout");
    if (executor == null) {
      int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
      ownedExecutor = Executors.newFixedThreadPool(threads, new DaemonThreads("inboard-http-"));
      this.executor = ownedExecutor;
    } else {
      ownedExecutor = null;
      this.executor = executor;
    }
    blockingPool = Transport.ASYNC_IS_SAFE ? null : new BlockingSends(MAX_BLOCKING_SENDS);
    scheduler = new ScheduledThreadPoolExecutor(1, new DaemonThreads("inboard-http-timer-"));
    // Most deadline timers are cancelled by a prompt response; do not let them pile up.
    scheduler.setRemoveOnCancelPolicy(true);
    timers = CallTimers.on(scheduler);
    passThrough = transport(ConnectionPoolSettings.DEFAULT.connectTimeout());
    hosts = new MeshHosts(mesh.settings().namespace(), mesh.settings().clusterDomain());
    xds = mesh.settings().discoveryMode() == DiscoveryMode.XDS
        ? new XdsHttp(mesh, timers, this::clientLayer, this::clusterDestination) : null;
    telemetry = new ClientTelemetry(mesh);
  }

  // One destination per xDS cluster and policy; its circuit breaker is the cluster's.
  private Destination clusterDestination(String cluster, ServiceName service, ClientPolicy p) {
    CircuitBreaker breaker = p.circuitBreaker()
        .map(cb -> breakers.circuitBreaker(cluster, CircuitBreakers.config(cb))).orElse(null);
    Transport transport = transport(p.connectionPool()
        .orElse(ConnectionPoolSettings.DEFAULT).connectTimeout());
    return new Destination(service, p, breaker, transport);
  }

  /** Sends {@code request}: through the mesh if its host names a service, else unchanged. */
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request,
      BodyHandler<T> handler) {
    requireNonNull(request, "request");
    requireNonNull(handler, "handler");
    ServiceName service = hosts.resolve(request.uri());
    if (service == null) {
      checkOpen();
      return passThrough.send(request, handler);
    }
    // Only mesh calls carry the context's headers: end-user and x-request-id must not leak
    // to hosts outside the mesh. This runs on the caller's thread, where the context lives.
    request = propagated(request);
    if (xds != null) {
      checkOpen();
      return telemetry.observe(service, xds.send(service, request, handler, 0));
    }
    Destination d = destinations.get(service);
    if (d == null) {
      d = destination(service, clientLayer(service));
    }
    return telemetry.observe(service, call(d, d.defaultCall(), request, handler));
  }

  /**
   * Sends a declarative client's {@code request} to {@code service}, with the context's headers
   * and telemetry as {@link #sendAsync} adds them. In xDS mode the control plane's routes decide
   * destination and policy, {@code destination} is unused (may be null), and of {@code policy}
   * only the timeout is used, as the caller's deadline next to the route's.
   */
  public <T> CompletableFuture<HttpResponse<T>> sendToService(ServiceName service,
      Destination destination, CallPolicy policy, HttpRequest request, BodyHandler<T> handler) {
    HttpRequest withContext = propagated(request);
    if (xds != null) {
      checkOpen();
      return telemetry.observe(service, xds.send(service, withContext, handler,
          policy == null ? 0 : policy.timeoutNanos()));
    }
    return telemetry.observe(service, call(destination, policy, withContext, handler));
  }

  /** True when routes and clusters come from the control plane over xDS. */
  public boolean xdsMode() {
    return xds != null;
  }

  private HttpRequest propagated(HttpRequest request) {
    return Propagation.apply(mesh, HttpRequest.newBuilder(request, (n, v) -> true),
        request.headers().map()::containsKey).build();
  }

  /** Sends {@code request} to {@code destination} under {@code policy}. */
  public <T> CompletableFuture<HttpResponse<T>> call(Destination destination, CallPolicy policy,
      HttpRequest request, BodyHandler<T> handler) {
    checkOpen();
    if (destination.current() != null) {
      return RetryingCall.start(destination, policy, request, handler, timers);
    }
    // First call: wait (without blocking a thread) for discovery's first answer, up to the bound.
    return destination.discovered().thenCompose(
        v -> RetryingCall.start(destination, policy, request, handler, timers));
  }

  /**
   * The destination for {@code service}, created and subscribed on first use. Its
   * destination-wide settings (load balancer, pool, outlier detection, circuit breaker) come from
   * the first creator's layer; a later, different layer is reported in the log.
   */
  public Destination destination(ServiceName service, ClientPolicy clientLayer) {
    Destination d = destinations.get(service);
    ClientPolicy effective = InternalMesh.effectivePolicy(mesh, service.withoutPort(), clientLayer);
    if (d != null) {
      warnIfDifferent(d, effective);
      return d;
    }
    checkOpen();
    CircuitBreaker breaker = effective.circuitBreaker()
        .map(p -> breakers.circuitBreaker(CircuitBreakers.name(service), CircuitBreakers.config(p)))
        .orElse(null);
    Transport transport = transport(effective.connectionPool()
        .orElse(ConnectionPoolSettings.DEFAULT).connectTimeout());
    Destination created = new Destination(service, effective, breaker, transport);
    Destination raced = destinations.putIfAbsent(service, created);
    if (raced != null) {
      warnIfDifferent(raced, effective);
      return raced;
    }
    scheduler.schedule(() -> created.discoveryTimedOut(new ServiceUnavailableException(service,
            Reason.NOT_YET_DISCOVERED, "no answer from discovery within "
                + discoveryTimeout.toMillis() + " ms")),
        discoveryTimeout.toNanos(), TimeUnit.NANOSECONDS);
    created.subscribe(InternalMesh.discovery(mesh));
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

  /** The client layer for {@code service}: its own policy, else the default one. */
  public ClientPolicy clientLayer(ServiceName service) {
    return policies.getOrDefault(service.withoutPort(), defaultPolicy);
  }

  /** The circuit breaker for {@code service}, if its policy has one and it has been called. */
  public Optional<CircuitBreaker> circuitBreaker(ServiceName service) {
    return breakers.find(CircuitBreakers.name(service));
  }

  /** The destinations created so far, by service port. */
  public Map<ServiceName, Destination> destinations() {
    return Map.copyOf(destinations);
  }

  /** The mesh this client resolves through. */
  public Mesh mesh() {
    return mesh;
  }

  private Transport transport(Duration connectTimeout) {
    return transports.computeIfAbsent(connectTimeout, t -> new Transport(HttpClient.newBuilder()
        .executor(executor)
        // Plain HTTP/1.1: an h2c upgrade would cost a round trip on every new connection.
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(t)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build(), blockingPool));
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the mesh HTTP client is closed");
    }
  }

  /** Stops every discovery watch and the client's threads. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (Destination d : destinations.values()) {
      d.close();
    }
    if (xds != null) {
      xds.close();
    }
    scheduler.shutdownNow();
    if (ownedExecutor != null) {
      ownedExecutor.shutdown();
    }
    if (blockingPool != null) {
      blockingPool.shutdown();
    }
  }
}
