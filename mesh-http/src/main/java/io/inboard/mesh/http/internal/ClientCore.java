package io.inboard.mesh.http.internal;

import static java.util.Objects.requireNonNull;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.inboard.mesh.api.DiscoveryMode;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.ServiceName;
import io.inboard.mesh.api.internal.InternalMesh;
import io.inboard.mesh.api.policy.ClientPolicy;
import io.inboard.mesh.api.policy.ConnectionPoolSettings;
import io.inboard.mesh.http.internal.resilience.CallPolicy;
import io.inboard.mesh.http.internal.resilience.CallTimers;
import io.inboard.mesh.http.internal.resilience.CircuitBreakers;
import io.inboard.mesh.http.internal.router.BoundService;
import io.inboard.mesh.http.internal.router.Router;
import io.inboard.mesh.http.internal.telemetry.CallObservation;
import io.inboard.mesh.http.internal.telemetry.ClientTelemetry;
import io.inboard.mesh.http.internal.tls.UpstreamTlsContexts;
import io.inboard.mesh.http.internal.transport.BlockingSends;
import io.inboard.mesh.http.internal.transport.DaemonThreads;
import io.inboard.mesh.http.internal.transport.PropagatedRequest;
import io.inboard.mesh.http.internal.transport.Transport;
import io.inboard.mesh.http.internal.transport.TransportKind;
import io.inboard.mesh.http.internal.xds.XdsHttp;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * The engine behind {@code MeshHttpClient}: the threads, the JDK transports, the circuit-breaker
 * registry and the {@link Router}, chosen once here from the mesh's discovery mode. Per call it
 * tells mesh calls from others, adds the context's headers, hands the call to the router and
 * reports it to telemetry.
 *
 * <p>Threads: one executor for the JDK clients and call continuations, and for completing calls
 * when the transport's event loops would otherwise complete them (by default
 * {@code max(2, CPUs)} daemon threads, because the JDK client otherwise falls back to the common
 * pool, which starts a thread per request on small machines); one scheduler thread for
 * deadlines, backoffs and the discovery wait; and, only where the common pool has a single
 * worker, a pool of reused threads for blocking sends (see {@link Transport}).
 */
public final class ClientCore implements AutoCloseable {

  /** The most tries in flight at once when sends must block (see {@link Transport}). */
  static final int MAX_BLOCKING_SENDS = 256;

  private final Mesh mesh;
  private final Map<ServiceName, ClientPolicy> policies;
  private final ClientPolicy defaultPolicy;
  private final ExecutorService ownedExecutor;
  /** Where calls' futures complete, or null for where the transport completes them. */
  private final Executor completions;
  private final ScheduledThreadPoolExecutor scheduler;
  private final BlockingSends blockingPool;
  private final DestinationFactory destinations;
  private final Transport passThrough;
  private final MeshHosts hosts;
  private final Router router;
  private final ClientTelemetry telemetry;
  private volatile boolean closed;

  /**
   * @param policies the client policy layer per service (keys without ports)
   * @param defaultPolicy the client layer for services not in {@code policies}
   * @param executor the executor for the JDK client, or {@code null} for an owned pool
   * @param transport what sends each try
   * @param hopCompletions whether calls' futures complete on {@code completions} (or the owned
   *     pool when it is null) rather than where the transport completes them: for applications
   *     on the Netty transport, whose tries complete on its event loops
   * @param completions where calls' futures complete when {@code hopCompletions}
   */
  public ClientCore(Mesh mesh, Map<ServiceName, ClientPolicy> policies, ClientPolicy defaultPolicy,
      Duration discoveryTimeout, Executor executor, TransportKind transport,
      boolean hopCompletions, Executor completions) {
    this.mesh = requireNonNull(mesh, "mesh");
    this.policies = Map.copyOf(policies);
    this.defaultPolicy = requireNonNull(defaultPolicy, "defaultPolicy");
    requireNonNull(discoveryTimeout, "discoveryTimeout");
    if (executor == null || (hopCompletions && completions == null)) {
      int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
      ownedExecutor = Executors.newFixedThreadPool(threads, new DaemonThreads("inboard-http-"));
    } else {
      ownedExecutor = null;
    }
    if (executor == null) {
      executor = ownedExecutor;
    }
    this.completions = !hopCompletions ? null
        : completions != null ? completions : ownedExecutor;
    blockingPool = Transport.ASYNC_IS_SAFE ? null : new BlockingSends(MAX_BLOCKING_SENDS);
    scheduler = new ScheduledThreadPoolExecutor(1, new DaemonThreads("inboard-http-timer-"));
    // Most deadline timers are cancelled by a prompt response; do not let them pile up.
    scheduler.setRemoveOnCancelPolicy(true);
    CallTimers timers = CallTimers.on(scheduler);
    destinations = new DestinationFactory(executor, blockingPool,
        new UpstreamTlsContexts(mesh), InternalMesh.telemetry(mesh), mesh.settings().clusterDomain(),
        transport);
    telemetry = new ClientTelemetry(mesh);
    passThrough = destinations.transport(ConnectionPoolSettings.DEFAULT.connectTimeout());
    hosts = new MeshHosts(mesh.settings().namespace(), mesh.settings().clusterDomain());
    router = mesh.settings().discoveryMode() == DiscoveryMode.XDS
        // one destination per xDS cluster and policy; its circuit breaker is the cluster's
        ? new XdsHttp(mesh, timers, this::clientLayer, destinations::create,
            destinations.identities(), telemetry)
        : new KubernetesRouter(mesh, this::clientLayer, destinations, timers, discoveryTimeout);
  }

  /** Sends {@code request}: through the mesh if its host names a service, else unchanged. */
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request,
      BodyHandler<T> handler) {
    requireNonNull(request, "request");
    requireNonNull(handler, "handler");
    ServiceName service = hosts.resolve(request.uri());
    checkOpen();
    if (service == null) {
      return completed(passThrough.send(request, handler));
    }
    // Only mesh calls carry the context's headers: end-user and x-request-id must not leak
    // to hosts outside the mesh. This runs on the caller's thread, where the context lives.
    HttpRequest withContext = propagated(request);
    CallObservation call = telemetry.begin(withContext);
    return completed(telemetry.observe(service, call, router.send(service, withContext,
        ClientTelemetry.handler(call, handler), call)));
  }

  /**
   * Binds a declarative client to {@code service} (see {@link Router#bind}).
   *
   * @param typeLayer the interface's policy layer over the client's
   */
  public BoundService bind(ServiceName service, ClientPolicy typeLayer) {
    checkOpen();
    return router.bind(service, typeLayer);
  }

  /**
   * Sends a declarative client's {@code request} to its bound service, with the context's
   * headers and telemetry as {@link #sendAsync} adds them.
   */
  public <T> CompletableFuture<HttpResponse<T>> send(BoundService target, CallPolicy policy,
      HttpRequest request, BodyHandler<T> handler) {
    HttpRequest withContext = propagated(request);
    checkOpen();
    CallObservation call = telemetry.begin(withContext);
    return completed(telemetry.observe(target.service(), call, target.send(policy, withContext,
        ClientTelemetry.handler(call, handler), call)));
  }

  private <T> CompletableFuture<T> completed(CompletableFuture<T> call) {
    return completions == null ? call : CompletionHop.on(call, completions);
  }

  /**
   * The caller's request with the context's headers beside it, not copied: each try copies the
   * headers once, as its transport sends them (see {@link PropagatedRequest}).
   */
  private HttpRequest propagated(HttpRequest request) {
    return PropagatedRequest.of(mesh, request);
  }

  /** The client layer for {@code service}: its own policy, else the default one. */
  public ClientPolicy clientLayer(ServiceName service) {
    return policies.getOrDefault(service.withoutPort(), defaultPolicy);
  }

  /** The circuit breaker for {@code service}, if its policy has one and it has been called. */
  public Optional<CircuitBreaker> circuitBreaker(ServiceName service) {
    return destinations.breaker(CircuitBreakers.name(service));
  }

  /**
   * The xDS router, for the ingress gateway's route configs and listeners.
   *
   * @throws IllegalStateException if the mesh is not in xDS mode
   */
  public XdsHttp xds() {
    checkOpen();
    if (router instanceof XdsHttp x) {
      return x;
    }
    throw new IllegalStateException("the mesh is in " + mesh.settings().discoveryMode()
        + " discovery mode (expected: XDS, which a gateway's routes come from)");
  }

  /** The mesh this client resolves through. */
  public Mesh mesh() {
    return mesh;
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
    router.close();
    scheduler.shutdownNow();
    if (ownedExecutor != null) {
      ownedExecutor.shutdown();
    }
    if (blockingPool != null) {
      blockingPool.shutdown();
    }
  }
}
