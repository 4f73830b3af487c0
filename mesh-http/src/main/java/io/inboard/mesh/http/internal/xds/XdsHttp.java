package io.inboard.mesh.http.internal.xds;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.grpc.Status;
import io.grpc.StatusOr;
import io.grpc.xds.client.XdsClient;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.ServiceName;
import io.inboard.mesh.api.ServiceUnavailableException;
import io.inboard.mesh.api.ServiceUnavailableException.Reason;
import io.inboard.mesh.api.internal.InternalMesh;
import io.inboard.mesh.api.policy.ClientPolicy;
import io.inboard.mesh.api.policy.RetryPolicy;
import io.inboard.mesh.http.internal.resilience.CallPolicy;
import io.inboard.mesh.http.internal.resilience.CallTimers;
import io.inboard.mesh.http.internal.resilience.Destination;
import io.inboard.mesh.http.internal.resilience.RetryingCall;
import io.inboard.mesh.http.internal.route.GatewayRouteTable;
import io.inboard.mesh.http.internal.route.LocalResponse;
import io.inboard.mesh.http.internal.route.XdsFault;
import io.inboard.mesh.http.internal.route.XdsHeaderChanges;
import io.inboard.mesh.http.internal.route.XdsMirror;
import io.inboard.mesh.http.internal.route.XdsResponse;
import io.inboard.mesh.http.internal.route.XdsRoute;
import io.inboard.mesh.http.internal.route.XdsRouteTable;
import io.inboard.mesh.http.internal.router.BoundService;
import io.inboard.mesh.http.internal.router.Router;
import io.inboard.mesh.http.internal.telemetry.CallObservation;
import io.inboard.mesh.http.internal.telemetry.ClientTelemetry;
import io.inboard.mesh.http.internal.telemetry.ResponseFlags;
import io.inboard.mesh.http.internal.tls.UpstreamIdentities;
import io.inboard.mesh.http.internal.tls.UpstreamTls;
import io.inboard.mesh.xds.internal.InProcessXdsBootstrap;
import io.inboard.mesh.xds.internal.RawResourceType;
import io.inboard.mesh.xds.internal.XdsNode;
import io.inboard.mesh.xds.internal.XdsResourceDump;
import java.lang.reflect.Method;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP client's {@link Router} for a mesh in xDS mode: one grpc-xds {@code XdsClient} (its
 * own ADS stream, with the mesh's node id and metadata, so the control plane sees one workload),
 * watching
 * the Listener and RouteConfiguration of each host called and the Cluster and endpoints of each
 * cluster its routes name. grpc-xds does ACK/NACK, reconnection with backoff and server fallback;
 * the resource checks here decide what is NACKed, with a message naming resource and field.
 * After a NACK, or while no control plane answers, the last good config stays in force.
 *
 * <p>Every update runs on {@code xdsThread}, one at a time, and replaces immutable tables that
 * calls only read. A first call waits (without a thread) for its host's routes and its cluster's
 * endpoints, up to the mesh's {@code initialConfigTimeout}, and then fails with
 * {@code NOT_YET_DISCOVERED} naming the missing resource.
 *
 * <p>Per call, in Envoy's order: route match, fault delay, fault abort, request-header changes,
 * mirror copies (fire-and-forget, see {@link XdsMirror}), the retrying call to a weighted
 * cluster (whose destination prefers endpoints in the mesh's own zone), then response-header
 * changes.
 *
 * <p><b>Gateways.</b> The ingress gateway watches its listeners through the same client
 * ({@link #watchListener}: grpc-xds keys subscriptions by resource type, so there is one
 * Listener type per client) and sends downstream requests through a named route config
 * ({@link #gatewayRoutes}): the virtual host is chosen by the request's authority with Envoy's
 * domain matching, a {@code require_tls} host redirects plaintext requests to {@code https},
 * and from the route match on the per-call path is the one above.
 */
public final class XdsHttp implements Router {

  private static final Logger log = LoggerFactory.getLogger(XdsHttp.class);

  // one type per resource kind and client: grpc-xds keys subscriptions by type, so the gateway's
  // listeners are watched through this type too (a client's api_listener, or a gateway's)
  private static final RawResourceType<Listener> LDS = RawResourceType.listeners(l -> {
    if (GatewayListenerCheck.isGatewayListener(l)) {
      GatewayListenerCheck.check(l);
    } else {
      XdsHost.connectionManager(l);
    }
    return null;
  });
  // every virtual host compiled, as a client host or a gateway would select it
  private static final RawResourceType<RouteConfiguration> RDS = RawResourceType.routes(rc -> {
    GatewayRouteTable.compile(rc, ClientPolicy.EMPTY);
    return null;
  });
  private static final RawResourceType<Cluster> CDS = RawResourceType.clusters(XdsCluster::problem);
  private static final RawResourceType<ClusterLoadAssignment> EDS =
      RawResourceType.endpoints(XdsCluster::problem);

  /** A mirrored copy is sent once, with no timeout of its own beyond the transport's. */
  private static final CallPolicy MIRROR_CALL = new CallPolicy(0, RetryPolicy.NONE);

  private final Mesh mesh;
  private final ScheduledExecutorService scheduler;
  private final CallTimers timers;
  private final Executor xdsThread;
  private final Function<ServiceName, ClientPolicy> clientLayer;
  private final XdsDestinations destinations;
  private final UpstreamIdentities identities;
  private final ClientTelemetry telemetry;
  private final InProcessXdsBootstrap.SharedClient lease;
  private final XdsClient client;
  private final Map<String, XdsHost> hosts = new ConcurrentHashMap<>();
  /**
   * {@link #hosts} by the service as callers name it, so that a call finds its host without
   * building the listener name (two strings per call).
   */
  private final Map<ServiceName, XdsHost> hostsByService = new ConcurrentHashMap<>();
  private final Map<String, XdsCluster> clusters = new ConcurrentHashMap<>();
  private final Map<String, GatewayRoutes> gatewayRoutes = new java.util.HashMap<>(); // guarded

  /**
   * @param identities where mTLS clusters record which SPIFFE IDs their endpoints may present,
   *     read by the mTLS transport's handshakes
   * @param telemetry ends the spans of mirrored copies
   */
  public XdsHttp(Mesh mesh, CallTimers timers,
      Function<ServiceName, ClientPolicy> clientLayer, XdsDestinations destinations,
      UpstreamIdentities identities, ClientTelemetry telemetry) {
    this.identities = identities;
    this.telemetry = telemetry;
    this.mesh = mesh;
    this.timers = timers;
    ScheduledExecutorService scheduler = timers.scheduler();
    this.scheduler = scheduler;
    this.clientLayer = clientLayer;
    this.destinations = destinations;
    // the scheduler has one thread: updates are applied in order, never two at once
    this.xdsThread = scheduler;
    Mesh.Settings s = mesh.settings();
    this.lease = InProcessXdsBootstrap.sharedClient(InProcessXdsBootstrap.bootstrap(
        s.controlPlanes(), XdsNode.id(s), XdsNode.metadata(mesh)));
    this.client = lease.client();
    // what the HTTP side holds, with ACK/NACK state, in the workload's /debug/config_dump
    InternalMesh.configDumpSection(mesh, "xds_http", () -> XdsResourceDump.of(client));
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> send(ServiceName service, HttpRequest request,
      BodyHandler<T> handler, CallObservation call) {
    return send(service, request, handler, 0, call);
  }

  /**
   * In xDS mode the control plane's routes decide a declarative client's destination and
   * policy: of each method's policy only the timeout is used, as the caller's deadline next to
   * the route's.
   */
  @Override
  public BoundService bind(ServiceName service, ClientPolicy typeLayer) {
    return new Bound(service);
  }

  /**
   * Sends {@code request} to {@code service} under the control plane's routes.
   *
   * @param callerTimeoutNanos the caller's own overall timeout (a declarative method's
   *     {@code @Timeout}), or {@code 0}: the earlier of it and the route's applies, as a gRPC
   *     call's deadline does next to its route's timeout
   */
  private <T> CompletableFuture<HttpResponse<T>> send(ServiceName service, HttpRequest request,
      BodyHandler<T> handler, long callerTimeoutNanos, CallObservation call) {
    XdsHost host = host(service);
    XdsRouteTable table = host.table();
    if (table != null) {
      return route(table, request, handler, callerTimeoutNanos, call);
    }
    return host.ready().thenCompose(
        t -> route(host.table(), request, handler, callerTimeoutNanos, call));
  }

  private <T> CompletableFuture<HttpResponse<T>> route(XdsRouteTable table,
      HttpRequest request, BodyHandler<T> handler, long callerTimeoutNanos,
      CallObservation call) {
    XdsRoute route = table.route(request);
    if (route == null) {
      // Envoy answers a request no route matches with 404
      if (call != null) {
        call.answeredLocally(ResponseFlags.NO_ROUTE);
      }
      return LocalResponse.of(request, 404, "no_route", handler);
    }
    if (call != null && !route.routeName().isEmpty()) {
      call.routeName(route.routeName());
    }
    XdsFault fault = route.fault();
    if (fault != null && fault.delays()) {
      if (call != null) {
        call.flag(ResponseFlags.DI);
      }
      CompletableFuture<Void> delayed = new CompletableFuture<>();
      scheduler.schedule(() -> delayed.complete(null), fault.delayNanos(), TimeUnit.NANOSECONDS);
      return delayed.thenCompose(
          v -> afterDelay(route, request, handler, callerTimeoutNanos, call));
    }
    return afterDelay(route, request, handler, callerTimeoutNanos, call);
  }

  private <T> CompletableFuture<HttpResponse<T>> afterDelay(XdsRoute route, HttpRequest request,
      BodyHandler<T> handler, long callerTimeoutNanos, CallObservation call) {
    XdsFault fault = route.fault();
    if (fault != null && fault.aborts()) {
      if (call != null) {
        call.answeredLocally(ResponseFlags.FAULT_ABORT);
      }
      return LocalResponse.of(request, fault.abortStatus(), "fault_abort", handler);
    }
    HttpRequest shadow = null; // the route's header changes, made once for all mirrors
    // a body that can be read only once goes to the call, not to a copy
    boolean replayable = !(request.bodyPublisher().orElse(null) instanceof OneShotBody);
    for (XdsMirror m : replayable ? route.mirrors() : java.util.List.<XdsMirror>of()) {
      if (m.sample()) {
        if (shadow == null) {
          shadow = route.rewrite(request);
        }
        mirror(m, shadow, call);
      }
    }
    int pick = route.pick();
    HttpRequest rewritten = route.rewrite(request, pick);
    XdsCluster cluster = clusters.get(route.clusters().get(pick));
    Destination d = cluster.destination();
    CallPolicy policy = route.call().withCallerTimeout(callerTimeoutNanos);
    CompletableFuture<HttpResponse<T>> response = d != null
        ? start(d, policy, rewritten, handler, call)
        : cluster.ready().thenCompose(ready -> start(cluster.destination(),
            policy, rewritten, handler, call));
    XdsHeaderChanges own = route.clusterResponseHeaders(pick);
    XdsHeaderChanges changes = route.responseHeaders();
    return own.isEmpty() && changes.isEmpty() ? response
        : response.thenApply(r -> XdsResponse.of(XdsResponse.of(r, own), changes));
  }

  /** Starts the retrying call, unless the destination refuses every call (mTLS unavailable). */
  private <T> CompletableFuture<HttpResponse<T>> start(Destination d, CallPolicy policy,
      HttpRequest request, BodyHandler<T> handler, CallObservation call) {
    if (call != null) {
      call.cluster(d.stats());
    }
    ServiceUnavailableException refused = d.refusal();
    return refused != null ? CompletableFuture.failedFuture(refused)
        : RetryingCall.start(d, policy, request, handler, timers, call);
  }

  /**
   * The handle of a gateway's route config {@code rds}, watched (with the clusters its routes
   * name) while any caller holds it: release each handle with {@link #releaseGatewayRoutes}, so
   * that a route config no listener uses any more is no longer asked for (an ADS server answers
   * only when it has every name asked for).
   */
  public GatewayRoutes gatewayRoutes(String rds) {
    synchronized (gatewayRoutes) {
      GatewayRoutes existing = gatewayRoutes.get(rds);
      if (existing != null) {
        existing.refs++;
        return existing;
      }
      GatewayRoutes created = new GatewayRoutes(this, rds);
      created.refs = 1;
      gatewayRoutes.put(rds, created);
      created.cancel = watchRaw(RDS, rds, rc -> {
        GatewayRouteTable t = GatewayRouteTable.compile(rc, ClientPolicy.EMPTY);
        t.clusters().forEach(this::cluster);
        created.onRoutes(t);
      }, () -> { });
      scheduler.schedule(() -> created.timedOut(missing(GATEWAY, "route config '" + rds + "'")),
          bound(), TimeUnit.NANOSECONDS);
      return created;
    }
  }

  /**
   * Releases a handle from {@link #gatewayRoutes}; the last release stops watching the route
   * config (requests already holding the handle still route with its last version).
   */
  public void releaseGatewayRoutes(GatewayRoutes routes) {
    synchronized (gatewayRoutes) {
      if (--routes.refs == 0 && gatewayRoutes.remove(routes.name(), routes)) {
        routes.cancel.run();
      }
    }
  }

  /**
   * Watches the gateway listener {@code name} (or the index listener) until the returned
   * handle is run. {@code onListener} gets each accepted version, {@code onRemoved} runs when
   * the control plane no longer has it; both on the xDS thread.
   */
  public Runnable watchListener(String name, Consumer<Listener> onListener, Runnable onRemoved) {
    return watchRaw(LDS, name, onListener, onRemoved);
  }

  /**
   * Watches {@code name} until the returned handle runs: each accepted version to
   * {@code onResource} (a version it throws on is logged, the last good one stays),
   * {@code onRemoved} when the control plane no longer has it; both on the xDS thread.
   */
  private <M extends com.google.protobuf.Message> Runnable watchRaw(RawResourceType<M> type,
      String name, Consumer<M> onResource, Runnable onRemoved) {
    XdsClient.ResourceWatcher<RawResourceType.Update<M>> w = new XdsClient.ResourceWatcher<>() {
      @Override
      public void onResourceChanged(StatusOr<RawResourceType.Update<M>> update) {
        if (update.hasValue()) {
          try {
            onResource.accept(update.getValue().resource());
          } catch (RuntimeException e) {
            log.warn("xDS {} '{}' not applied, keeping the last good one: {}", type.typeName(),
                name, e.getMessage());
          }
        } else if (update.getStatus().getCode() == Status.Code.NOT_FOUND) {
          onRemoved.run();
        } else {
          log.debug("xDS {} '{}': {}", type.typeName(), name, update.getStatus());
        }
      }

      @Override
      public void onAmbientError(Status error) {
        log.debug("xDS {} '{}': {}", type.typeName(), name, error);
      }
    };
    client.watchXdsResource(type, name, w, xdsThread);
    return () -> client.cancelXdsResourceWatch(type, name, w);
  }

  /** A gateway call's report names this service only when no cluster was picked. */
  private static final ServiceName GATEWAY = ServiceName.of("gateway", "unknown");

  <T> CompletableFuture<HttpResponse<T>> sendGateway(GatewayRouteTable table,
      HttpRequest request, boolean secure, BodyHandler<T> handler) {
    CallObservation call = telemetry.begin(request);
    BodyHandler<T> counted = ClientTelemetry.handler(call, handler);
    String authority = request.uri().getRawAuthority();
    GatewayRouteTable.GatewayVirtualHost vh = table.virtualHost(authority);
    CompletableFuture<HttpResponse<T>> result;
    if (vh == null) {
      if (call != null) {
        call.answeredLocally(ResponseFlags.NO_ROUTE);
      }
      result = LocalResponse.of(request, 404, "no_route", counted);
    } else if (vh.requireTls() && !secure) {
      // Envoy's require_tls redirect: the same authority and path (query included) over https
      String q = request.uri().getRawQuery();
      String path = request.uri().getRawPath();
      String location = "https://" + authority + (path == null || path.isEmpty() ? "/" : path)
          + (q == null ? "" : "?" + q);
      result = LocalResponse.of(request, 301, "https_redirect", location, counted);
    } else {
      result = route(vh.table(), request, counted, 0, call);
    }
    return telemetry.observe(GATEWAY, call, result);
  }

  /**
   * Sends a copy of {@code request} to the mirror's cluster and forgets it: no retries, the
   * body discarded, any failure only logged at debug. The caller's future never depends on it.
   */
  private void mirror(XdsMirror m, HttpRequest request, CallObservation call) {
    XdsCluster cluster = clusters.get(m.cluster());
    Destination d = cluster == null ? null : cluster.destination();
    if (d == null || d.refusal() != null) {
      // before the mirror's endpoints are known Envoy would not mirror either: skip this copy
      return;
    }
    HttpRequest copy = XdsMirror.shadow(request);
    // a copy is its own traced call beside the caller's (as Envoy's shadow spans), never counted
    CallObservation traced = call == null ? null : call.mirror(copy);
    if (traced != null) {
      traced.cluster(d.stats());
    }
    RetryingCall.start(d, MIRROR_CALL, copy,
        ClientTelemetry.handler(traced, BodyHandlers.discarding()), timers, traced)
        .whenComplete((r, e) -> {
          if (traced != null) {
            telemetry.finishMirror(d.service(), traced, r, e);
          }
          if (e != null) {
            log.debug("mirror to {} failed: {}", m.cluster(), e.toString());
          }
        });
  }

  private XdsHost host(ServiceName service) {
    XdsHost known = hostsByService.get(service);
    if (known == null) {
      known = hostByName(service);
      hostsByService.putIfAbsent(service, known);
    }
    return known;
  }

  private XdsHost hostByName(ServiceName service) {
    int port = service.port() == 0 ? 80 : service.port();
    String name = service.fqdn(mesh.settings().clusterDomain()) + ":" + port;
    XdsHost existing = hosts.get(name);
    if (existing != null) {
      return existing;
    }
    XdsHost created = new XdsHost(name, service, clientLayer.apply(service));
    XdsHost raced = hosts.putIfAbsent(name, created);
    if (raced != null) {
      return raced;
    }
    Consumer<XdsRouteTable> bind = t -> t.clusters().forEach(this::cluster);
    watch(LDS, name, l -> {
      String rds = created.onListener(l, bind);
      if (rds != null) {
        watch(RDS, rds, rc -> created.onRoutes(rc, bind));
      }
    });
    scheduler.schedule(() -> created.timedOut(missing(service, "listener '" + name
        + "' (or the route config it names)")), bound(), TimeUnit.NANOSECONDS);
    return created;
  }

  private void cluster(String name) {
    clusters.computeIfAbsent(name, n -> {
      ServiceName service = XdsCluster.serviceOf(n);
      XdsCluster c = new XdsCluster(n, service, clientLayer.apply(service),
          (p, tls) -> destinations.create(n, service, p, tls), mesh.settings().zone(),
          identities);
      watch(CDS, n, cl -> {
        c.onCluster(cl);
        watch(EDS, XdsClusterPolicy.edsName(cl), c::onEndpoints);
      });
      scheduler.schedule(() -> c.timedOut(missing(service, "cluster '" + n
          + "' (CDS) or its endpoints (EDS)")), bound(), TimeUnit.NANOSECONDS);
      return c;
    });
  }

  private final Map<String, Boolean> watched = new ConcurrentHashMap<>();

  /** A watch shared by every host and cluster that names the resource, never cancelled. */
  private <M extends com.google.protobuf.Message> void watch(RawResourceType<M> type, String name,
      Consumer<M> onResource) {
    if (watched.putIfAbsent(type.typeName() + "/" + name, Boolean.TRUE) == null) {
      // the last good config stays; the first calls' bounded wait names what is missing
      watchRaw(type, name, onResource, () -> { });
    }
  }

  private ServiceUnavailableException missing(ServiceName service, String what) {
    Duration b = mesh.settings().initialConfigTimeout();
    return new ServiceUnavailableException(service, Reason.NOT_YET_DISCOVERED, "xDS " + what
        + " not received from control plane " + String.join(", ", mesh.settings().controlPlanes())
        + " within " + b.toMillis() + " ms");
  }

  private long bound() {
    return mesh.settings().initialConfigTimeout().toNanos();
  }

  /** Releases the xDS client, which closes the ADS stream once nobody else holds it. */
  @Override
  public void close() {
    lease.close();
    clusters.values().forEach(XdsCluster::close);
  }

  /** A declarative client's service: its calls go through the routes like any other. */
  private final class Bound implements BoundService {
    private final ServiceName service;

    Bound(ServiceName service) {
      this.service = service;
    }

    @Override
    public ServiceName service() {
      return service;
    }

    @Override
    public void checkAnnotations(Class<?> type, ClientPolicy typeAnnotations,
        Map<Method, ClientPolicy> methodAnnotations) {
      boolean ignored = setsMoreThanTimeout(typeAnnotations);
      for (ClientPolicy m : methodAnnotations.values()) {
        ignored |= setsMoreThanTimeout(m);
      }
      if (ignored) {
        log.warn("{}: @Retry, @LoadBalancer, @OutlierDetection, @ConnectionPool and"
            + " @CircuitBreaker are not applied in xDS mode; the control plane's VirtualService"
            + " and DestinationRule for {} decide them (@Timeout still bounds each call)",
            type.getName(), service.withoutPort());
      }
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> send(CallPolicy policy, HttpRequest request,
        BodyHandler<T> handler, CallObservation call) {
      return XdsHttp.this.send(service, request, handler, policy.timeoutNanos(), call);
    }
  }

  /** Whether {@code layer} sets anything besides a timeout, which xDS mode does not apply. */
  private static boolean setsMoreThanTimeout(ClientPolicy layer) {
    return !ClientPolicy.builder().timeout(layer.timeout().orElse(null)).build().equals(layer);
  }

  /** Builds the destination for a cluster under a policy. */
  public interface XdsDestinations {
    /**
     * @param tls what the cluster's connections speak
     * @throws IllegalArgumentException if {@code tls} cannot be used
     */
    Destination create(String cluster, ServiceName service, ClientPolicy policy, UpstreamTls tls);
  }
}
