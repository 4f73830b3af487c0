package io.inboard.mesh.grpc.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.Any;
import com.google.protobuf.Struct;
import com.google.protobuf.UInt32Value;
import com.google.protobuf.util.Durations;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.FilterConfig;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import io.inboard.mesh.api.ServiceUnavailableException;
import io.inboard.mesh.api.internal.MeshXdsNames;
import io.inboard.mesh.grpc.XdsChannels;
import io.inboard.mesh.grpc.internal.pool.ClusterPool;
import io.inboard.mesh.grpc.internal.pool.ClusterPools;
import io.inboard.mesh.grpc.mtls.TestAds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Connection-pool limits on gRPC calls end to end: a java-control-plane ADS server serves
 * clusters whose {@link MeshXdsNames#GRPC_OUTLIER_POLICY} Struct carries the pool limits as
 * {@link MeshXdsNames} ("gRPC cluster policy") specifies, behind a listener with the route
 * filter, to {@link XdsChannels} channels calling a real backend on 127.0.0.1. Each test has its
 * own cluster: pools are per cluster and process.
 */
@Timeout(30)
class ConnectionPoolAdmissionTest {

  private static final AtomicInteger IDS = new AtomicInteger();
  private static final Map<String, Cluster> CLUSTERS = new LinkedHashMap<>();
  private static final Map<String, ClusterLoadAssignment> ENDPOINTS = new LinkedHashMap<>();
  private static final Map<String, Listener> LISTENERS = new LinkedHashMap<>();
  private static final Map<String, RouteConfiguration> ROUTES = new LinkedHashMap<>();

  private static TestAds ads;
  private static RouteBackend backend;
  private final List<ManagedChannel> channels = new ArrayList<>();
  private XdsChannels xds;

  @BeforeAll
  static void start() throws Exception {
    ads = new TestAds();
    backend = new RouteBackend("pooled");
  }

  @BeforeEach
  void openXds() {
    xds = XdsChannels.forControlPlane(ads.address()).build();
  }

  @AfterEach
  void closeChannels() {
    channels.forEach(ManagedChannel::shutdownNow);
    xds.close();
  }

  @AfterAll
  static void stop() {
    backend.close();
    ads.close();
  }

  @Test
  void aCallOverTheRequestLimitIsShedAtOnce_andTheSlotIsFreeAgainOnceTheCallInFlightEnds()
      throws Exception {
    String cluster = cluster();
    SimpleServiceGrpc.SimpleServiceFutureStub stub = stub(serve(cluster,
        Map.of("maxRequests", 1, "maxPendingRequests", 2), null));
    String first = id();
    String second = id();

    ListenableFuture<SimpleResponse> a = call(stub, first + ";slow=1000");
    await().until(() -> !backend.tries(first).isEmpty()); // a holds the one slot
    long shedAt = System.nanoTime();
    Status b = status(call(stub, second + ";ok"));
    long shedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - shedAt);

    // as Envoy: over max_requests a call is shed, not queued, whatever the pending limit
    assertThat(b.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(b.getDescription()).contains("is overloaded", cluster,
        "1 call(s) in flight (connectionPool.http.http2MaxRequests)");
    assertThat(b.getCause()).isInstanceOfSatisfying(ServiceUnavailableException.class,
        e -> assertThat(e.reason()).isEqualTo(ServiceUnavailableException.Reason.OVERLOADED));
    assertThat(shedMillis).isLessThan(500);
    assertThat(backend.tries(second)).isEmpty();
    assertThat(a.get(10, TimeUnit.SECONDS).getResponseMessage()).isEqualTo("pooled");
    assertThat(call(stub, id() + ";ok").get(10, TimeUnit.SECONDS).getResponseMessage())
        .isEqualTo("pooled");
  }

  @Test
  void callsWaitingForAConnectionBeyondThePendingLimitAreShed_theWaitingOnesRunOnceOneIsReady()
      throws Exception {
    String cluster = cluster();
    SimpleServiceGrpc.SimpleServiceFutureStub plain = SimpleServiceGrpc.newFutureStub(
        serve(cluster, Map.of("maxPendingRequests", 2), null, closedPort()));
    SimpleServiceGrpc.SimpleServiceFutureStub stub = plain.withWaitForReady();
    String[] ids = {id(), id(), id(), id()};

    // no endpoint accepts connections: calls that wait for ready wait for one
    ClusterPool pool = awaitPool(plain, cluster);
    ListenableFuture<SimpleResponse> a = call(stub, ids[0] + ";ok");
    ListenableFuture<SimpleResponse> b = call(stub, ids[1] + ";ok");
    await().until(() -> pool.pending() == 2);
    Status c = status(call(stub, ids[2] + ";ok"));
    Status d = status(call(stub, ids[3] + ";ok"));

    assertThat(List.of(c, d)).allSatisfy(s -> {
      assertThat(s.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(s.getDescription()).contains("is overloaded", cluster,
          "2 call(s) waiting for a connection (connectionPool.http.http1MaxPendingRequests)");
      assertThat(s.getCause()).isInstanceOf(ServiceUnavailableException.class);
    });
    moveEndpoint(cluster, backend.port());
    assertThat(a.get(10, TimeUnit.SECONDS).getResponseMessage()).isEqualTo("pooled");
    assertThat(b.get(10, TimeUnit.SECONDS).getResponseMessage()).isEqualTo("pooled");
    assertThat(backend.tries(ids[2])).isEmpty();
    assertThat(backend.tries(ids[3])).isEmpty();
    await().until(() -> pool.pending() == 0 && pool.active() == 0);
  }

  @Test
  void aWaitingCallThatIsCancelledOrTimesOutGivesUpItsPlace() throws Exception {
    String cluster = cluster();
    SimpleServiceGrpc.SimpleServiceFutureStub plain = SimpleServiceGrpc.newFutureStub(
        serve(cluster, Map.of("maxPendingRequests", 1), null, closedPort()));
    SimpleServiceGrpc.SimpleServiceFutureStub stub = plain.withWaitForReady();
    ClusterPool pool = awaitPool(plain, cluster);
    ListenableFuture<SimpleResponse> cancelled = call(stub, id() + ";ok");
    await().until(() -> pool.pending() == 1);
    cancelled.cancel(true);
    await().until(() -> pool.pending() == 0);
    Status late = status(stub.withDeadlineAfter(300, TimeUnit.MILLISECONDS)
        .unaryRpc(request(id() + ";ok")));
    // the one place is free again: this call waits rather than being shed
    ListenableFuture<SimpleResponse> waits = call(stub, id() + ";ok");
    await().until(() -> pool.pending() == 1);

    assertThat(late.getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    moveEndpoint(cluster, backend.port());
    assertThat(waits.get(10, TimeUnit.SECONDS).getResponseMessage()).isEqualTo("pooled");
    await().until(() -> pool.pending() == 0 && pool.active() == 0);
  }

  @Test
  void aBurstWithCancelsGivesEverySlotBack() throws Exception {
    String cluster = cluster();
    SimpleServiceGrpc.SimpleServiceFutureStub stub = stub(serve(cluster,
        Map.of("maxRequests", 2, "maxPendingRequests", 100), null));
    ClusterPool pool = ClusterPools.get(cluster);
    List<ListenableFuture<SimpleResponse>> calls = new ArrayList<>();

    for (int i = 0; i < 40; i++) {
      ListenableFuture<SimpleResponse> c = call(stub, id() + ";slow=20");
      calls.add(c);
      if (i % 5 == 4) {
        c.cancel(true); // starting, running or shed: each must give back what it holds
      }
    }

    List<Status.Code> codes = new ArrayList<>();
    for (ListenableFuture<SimpleResponse> c : calls) {
      codes.add(status(c).getCode());
    }
    // two run at a time; the rest of the burst is shed at once, or cancelled
    // (a call cancelled after it was shed stays UNAVAILABLE: CANCELLED may not appear at all)
    assertThat(codes).isSubsetOf(Status.Code.OK, Status.Code.CANCELLED, Status.Code.UNAVAILABLE)
        .contains(Status.Code.OK);
    await().atMost(Duration.ofSeconds(10))
        .until(() -> pool.active() == 0 && pool.pending() == 0);
  }

  @Test
  void withNoRetryBudgetLeftTheCallEndsWithItsFirstTrysOutcome() throws Exception {
    SimpleServiceGrpc.SimpleServiceFutureStub none = stub(serve(cluster(),
        Map.of("maxRetries", 0), retries()));
    SimpleServiceGrpc.SimpleServiceFutureStub unlimited = stub(serve(cluster(),
        Map.of("maxPendingRequests", 100), retries()));
    String overBudget = id();
    String inBudget = id();

    Status over = status(call(none, overBudget + ";fail=UNAVAILABLE"));
    Status in = status(call(unlimited, inBudget + ";fail=UNAVAILABLE"));

    assertThat(over.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(backend.tries(overBudget)).hasSize(1);
    assertThat(in.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(backend.tries(inBudget)).hasSize(3);
  }

  @Test
  void aRetryHoldsItsBudgetUntilItsTryEnds() throws Exception {
    SimpleServiceGrpc.SimpleServiceFutureStub stub = stub(serve(cluster(),
        Map.of("maxRetries", 1), retries()));
    String holder = id();
    String overflow = id();
    String after = id();

    // the holder's retry is in flight for 1 s, holding the one retry of the budget
    ListenableFuture<SimpleResponse> h = call(stub, holder + ";failFirstThenSlow=1000");
    await().until(() -> backend.tries(holder).size() == 2);
    Status o = status(call(stub, overflow + ";fail=UNAVAILABLE"));
    assertThat(h.get(10, TimeUnit.SECONDS).getResponseMessage()).isEqualTo("pooled");
    // given back when the holder's retry ended: retried again
    SimpleResponse a = call(stub, after + ";failFirst=UNAVAILABLE").get(10, TimeUnit.SECONDS);

    assertThat(o.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(backend.tries(overflow)).hasSize(1);
    assertThat(a.getResponseMessage()).isEqualTo("pooled");
    assertThat(backend.tries(after)).hasSize(2);
  }

  @Test
  void grpcsOwnRetryOverTheBudgetIsDropped() throws Exception {
    SimpleServiceGrpc.SimpleServiceFutureStub stub = stub(serve(cluster(),
        Map.of("maxRetries", 0), grpcRetries()));
    SimpleServiceGrpc.SimpleServiceFutureStub unlimited = stub(serve(cluster(),
        Map.of("maxPendingRequests", 100), grpcRetries()));
    String overBudget = id();
    String inBudget = id();

    Status over = status(call(stub, overBudget + ";fail=UNAVAILABLE"));
    Status in = status(call(unlimited, inBudget + ";fail=UNAVAILABLE"));

    assertThat(over.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(over.getDescription()).contains("retry budget of cluster", "exhausted");
    assertThat(backend.tries(overBudget)).hasSize(1);
    assertThat(in.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(backend.tries(inBudget)).hasSize(3);
  }

  @Test
  void grpcsOwnRetryHoldsTheBudgetUntilItsStreamCloses() throws Exception {
    SimpleServiceGrpc.SimpleServiceFutureStub stub = stub(serve(cluster(),
        Map.of("maxRetries", 1), grpcRetries()));
    String holder = id();
    String overflow = id();
    String after = id();

    ListenableFuture<SimpleResponse> h = call(stub, holder + ";failFirstThenSlow=1000");
    await().until(() -> backend.tries(holder).size() == 2);
    Status o = status(call(stub, overflow + ";fail=UNAVAILABLE"));
    assertThat(h.get(10, TimeUnit.SECONDS).getResponseMessage()).isEqualTo("pooled");
    SimpleResponse a = call(stub, after + ";failFirst=UNAVAILABLE").get(10, TimeUnit.SECONDS);

    assertThat(o.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(backend.tries(overflow)).hasSize(1);
    assertThat(a.getResponseMessage()).isEqualTo("pooled");
    assertThat(backend.tries(after)).hasSize(2);
  }

  // ---------------------------------------------------------------------------------------------

  private static String id() {
    return "pool-" + IDS.incrementAndGet();
  }

  private static String cluster() {
    return "outbound|80||pool" + IDS.incrementAndGet() + ".default.svc.cluster.local";
  }

  private SimpleServiceGrpc.SimpleServiceFutureStub stub(ManagedChannel ch) throws Exception {
    SimpleServiceGrpc.SimpleServiceFutureStub stub = SimpleServiceGrpc.newFutureStub(ch);
    // config and a ready connection in place, so that the calls below start in their order
    call(stub, id() + ";ok").get(20, TimeUnit.SECONDS);
    return stub;
  }

  private static SimpleRequest request(String text) {
    return SimpleRequest.newBuilder().setRequestMessage(text).build();
  }

  private static ListenableFuture<SimpleResponse> call(
      SimpleServiceGrpc.SimpleServiceFutureStub stub, String text) {
    return stub.withDeadlineAfter(10, TimeUnit.SECONDS).unaryRpc(request(text));
  }

  private static Status status(ListenableFuture<SimpleResponse> call) throws Exception {
    try {
      call.get(10, TimeUnit.SECONDS);
      return Status.OK;
    } catch (java.util.concurrent.CancellationException e) {
      return Status.CANCELLED;
    } catch (ExecutionException e) {
      return e.getCause() instanceof StatusRuntimeException s ? s.getStatus()
          : Status.UNKNOWN.withCause(e.getCause());
    }
  }

  /** Retries on unavailable, 2 of them, each try bounded: the filter runs them. */
  private static RetryPolicy retries() {
    return RetryPolicy.newBuilder().setRetryOn("unavailable").setNumRetries(UInt32Value.of(2))
        .setPerTryTimeout(Durations.fromMillis(2000))
        .setRetryBackOff(RetryPolicy.RetryBackOff.newBuilder()
            .setBaseInterval(Durations.fromMillis(5)).setMaxInterval(Durations.fromMillis(10)))
        .build();
  }

  /** Retries on unavailable, 2 of them, without a per-try timeout: grpc runs them. */
  private static RetryPolicy grpcRetries() {
    return retries().toBuilder().clearPerTryTimeout().build();
  }

  /**
   * Serves {@code cluster} with Inboard's policy carrying {@code limits} (ejection off) and a
   * listener routing every call to it; a channel to that listener.
   */
  private ManagedChannel serve(String cluster, Map<String, Integer> limits, RetryPolicy retry) {
    return serve(cluster, limits, retry, backend.port());
  }

  /** A loopback port nothing listens on: connections to it are refused. */
  private static int closedPort() {
    return io.inboard.mesh.testing.LoopbackPorts.free();
  }

  /**
   * The pool of {@code cluster}, once its policy registered it: a first call that does not wait
   * for ready (and fails, as nothing accepts) brings the channel's config.
   */
  private static ClusterPool awaitPool(SimpleServiceGrpc.SimpleServiceFutureStub stub,
      String cluster) throws Exception {
    status(stub.withDeadlineAfter(5, TimeUnit.SECONDS)
        .unaryRpc(request(id() + ";ok")));
    await().atMost(Duration.ofSeconds(20)).until(() -> ClusterPools.get(cluster) != null);
    return ClusterPools.get(cluster);
  }

  /** Points {@code cluster}'s one endpoint at {@code port}. */
  private static void moveEndpoint(String cluster, int port) {
    synchronized (ConnectionPoolAdmissionTest.class) {
      ENDPOINTS.put(cluster, TestAds.endpoints(cluster, port));
      ads.serve(List.copyOf(CLUSTERS.values()), List.copyOf(ENDPOINTS.values()),
          List.copyOf(LISTENERS.values()), List.copyOf(ROUTES.values()));
    }
  }

  private ManagedChannel serve(String cluster, Map<String, Integer> limits, RetryPolicy retry,
      int endpointPort) {
    String listener = "pool" + IDS.incrementAndGet() + ".test:80";
    Cluster c = TestAds.inboardPolicyCluster(cluster, limits);
    RouteAction.Builder action = RouteAction.newBuilder().setCluster(cluster);
    if (retry != null) {
      action.setRetryPolicy(retry);
    }
    Route inner = Route.newBuilder().setRoute(action).build();
    Route route = inner.toBuilder().setMatch(RouteMatch.newBuilder().setPrefix(""))
        .putTypedPerFilterConfig(MeshXdsNames.GRPC_ROUTE_FILTER, Any.pack(FilterConfig
            .newBuilder().setIsOptional(true).setConfig(Any.newBuilder()
                .setTypeUrl(MeshXdsNames.GRPC_ROUTE_TYPE_URL).setValue(inner.toByteString()))
            .build()))
        .build();
    HttpFilter filter = HttpFilter.newBuilder().setName(MeshXdsNames.GRPC_ROUTE_FILTER)
        .setIsOptional(true)
        .setTypedConfig(Any.newBuilder().setTypeUrl(MeshXdsNames.GRPC_ROUTE_TYPE_URL)).build();
    synchronized (ConnectionPoolAdmissionTest.class) {
      CLUSTERS.put(cluster, c);
      ENDPOINTS.put(cluster, TestAds.endpoints(cluster, endpointPort));
      LISTENERS.put(listener, TestAds.apiListener(listener, filter));
      ROUTES.put(listener, RouteConfiguration.newBuilder().setName(listener)
          .addVirtualHosts(VirtualHost.newBuilder().setName("vh").addDomains("*")
              .addRoutes(route)).build());
      ads.serve(List.copyOf(CLUSTERS.values()), List.copyOf(ENDPOINTS.values()),
          List.copyOf(LISTENERS.values()), List.copyOf(ROUTES.values()));
    }
    ManagedChannel ch = xds.channel(listener);
    channels.add(ch);
    return ch;
  }
}
