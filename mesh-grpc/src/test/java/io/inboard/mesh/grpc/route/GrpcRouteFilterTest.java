package io.inboard.mesh.grpc.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption.HeaderAppendAction;
import io.envoyproxy.envoy.config.core.v3.RuntimeFractionalPercent;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.FilterConfig;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.type.v3.FractionalPercent;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import io.inboard.mesh.api.internal.MeshXdsNames;
import io.inboard.mesh.grpc.XdsChannels;
import io.inboard.mesh.grpc.mtls.TestAds;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Inboard's gRPC route filter end to end: a java-control-plane ADS server serves routes carrying
 * the filter's per-route config exactly as {@link MeshXdsNames} ("gRPC route extensions")
 * specifies, to {@link XdsChannels} channels calling real backends on 127.0.0.1.
 */
@Timeout(20)
class GrpcRouteFilterTest {

  private static final String PRIMARY = "outbound|80||primary.test";
  private static final String SECOND = "outbound|80||second.test";
  private static final String MIRROR = "outbound|80||mirror.test";
  private static final AtomicInteger IDS = new AtomicInteger();
  /**
   * Every Listener and RouteConfiguration served so far: java-control-plane answers an ADS
   * request only when every name it asks for is in the snapshot, and a channel shut down may
   * still be watching its resources, so none is ever dropped.
   */
  private static final Map<String, Listener> LISTENERS = new LinkedHashMap<>();
  private static final Map<String, RouteConfiguration> ROUTES = new LinkedHashMap<>();

  private static TestAds ads;
  private static RouteBackend primary;
  private static RouteBackend second;
  private static RouteBackend mirror;
  private final List<ManagedChannel> channels = new ArrayList<>();
  /** Per test: its own xDS client and ADS stream, so that no test inherits another's watches. */
  private XdsChannels xds;

  @BeforeAll
  static void start() throws Exception {
    ads = new TestAds();
    primary = new RouteBackend("primary");
    second = new RouteBackend("second");
    mirror = new RouteBackend("mirror");
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
    primary.close();
    second.close();
    mirror.close();
    ads.close();
  }

  @Test
  void requestHeaderChanges_setAddAndRemove_reachTheBackend() {
    ManagedChannel ch = serve(Route.newBuilder()
        .setRoute(RouteAction.newBuilder().setCluster(PRIMARY))
        .addRequestHeadersToAdd(option("x-set", "new", HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD))
        .addRequestHeadersToAdd(option("x-add", "added", HeaderAppendAction.APPEND_IF_EXISTS_OR_ADD))
        .addRequestHeadersToAdd(option("x-absent", "route", HeaderAppendAction.ADD_IF_ABSENT))
        .addRequestHeadersToAdd(option("x-fresh", "route", HeaderAppendAction.ADD_IF_ABSENT))
        .addRequestHeadersToRemove("x-remove"));
    Metadata sent = new Metadata();
    sent.put(key("x-set"), "old");
    sent.put(key("x-add"), "mine");
    sent.put(key("x-absent"), "caller");
    sent.put(key("x-remove"), "gone");
    String id = id();

    call(ch, id + ";ok", sent, null);

    Metadata seen = primary.tries(id).get(0).headers();
    assertThat(seen.getAll(key("x-set"))).containsExactly("new");
    assertThat(seen.getAll(key("x-add"))).containsExactly("mine", "added");
    assertThat(seen.getAll(key("x-absent"))).containsExactly("caller");
    assertThat(seen.getAll(key("x-fresh"))).containsExactly("route");
    assertThat(seen.containsKey(key("x-remove"))).isFalse();
  }

  @Test
  void responseHeaderChanges_reachTheCaller() {
    ManagedChannel ch = serve(Route.newBuilder()
        .setRoute(RouteAction.newBuilder().setCluster(PRIMARY))
        .addResponseHeadersToAdd(option("x-resp", "yes", HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD))
        .addResponseHeadersToAdd(option("x-backend", "route", HeaderAppendAction.APPEND_IF_EXISTS_OR_ADD))
        .addResponseHeadersToRemove("x-drop"));
    AtomicReference<Metadata> received = new AtomicReference<>();

    call(ch, id() + ";ok", new Metadata(), received);

    assertThat(received.get().getAll(key("x-resp"))).containsExactly("yes");
    assertThat(received.get().getAll(RouteBackend.BACKEND)).containsExactly("primary", "route");
    assertThat(received.get().containsKey(RouteBackend.DROP)).isFalse();
  }

  @Test
  void weightedClusters_pickedClustersOwnChangesApplyBeforeTheRoutes() {
    WeightedCluster.Builder split = WeightedCluster.newBuilder()
        .addClusters(WeightedCluster.ClusterWeight.newBuilder().setName(PRIMARY)
            .setWeight(UInt32Value.of(50))
            .addRequestHeadersToAdd(option("x-cluster", "primary",
                HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD))
            .addRequestHeadersToAdd(option("x-order", "cluster",
                HeaderAppendAction.APPEND_IF_EXISTS_OR_ADD)))
        .addClusters(WeightedCluster.ClusterWeight.newBuilder().setName(SECOND)
            .setWeight(UInt32Value.of(50))
            .addRequestHeadersToAdd(option("x-cluster", "second",
                HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD))
            .addRequestHeadersToAdd(option("x-order", "cluster",
                HeaderAppendAction.APPEND_IF_EXISTS_OR_ADD)));
    ManagedChannel ch = serve(Route.newBuilder()
        .setRoute(RouteAction.newBuilder().setWeightedClusters(split))
        .addRequestHeadersToAdd(option("x-order", "route", HeaderAppendAction.APPEND_IF_EXISTS_OR_ADD)));
    String id = id();

    // 30 calls at 50/50 reach both backends but with probability 2 * 2^-30
    for (int i = 0; i < 30; i++) {
      call(ch, id + ";ok", new Metadata(), null);
    }

    assertThat(primary.tries(id)).isNotEmpty().allSatisfy(s -> {
      assertThat(s.headers().getAll(key("x-cluster"))).containsExactly("primary");
      assertThat(s.headers().getAll(key("x-order"))).containsExactly("cluster", "route");
    });
    assertThat(second.tries(id)).isNotEmpty().allSatisfy(s -> {
      assertThat(s.headers().getAll(key("x-cluster"))).containsExactly("second");
      assertThat(s.headers().getAll(key("x-order"))).containsExactly("cluster", "route");
    });
  }

  @Test
  void perTryTimeout_slowFirstTry_isRetriedAndAnswersAfterAboutOnePerTryTimeout() {
    ManagedChannel ch = serve(Route.newBuilder().setRoute(RouteAction.newBuilder()
        .setCluster(PRIMARY).setRetryPolicy(retries("gateway-error", 2, 300))));
    call(ch, id() + ";ok", new Metadata(), null); // config and connection ready
    String id = id();

    long start = System.nanoTime();
    String answer = call(ch, id + ";slowFirst=4000", new Metadata(), null);
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertThat(answer).isEqualTo("primary");
    assertThat(primary.tries(id)).hasSize(2);
    // one per-try timeout (300 ms) plus a backoff of at most 20 ms and a loopback call
    assertThat(tookMs).isBetween(290L, 2000L);
  }

  @Test
  void perTryTimeout_isNotRetriedUnderGrpcStatusNamesOnly_asInEnvoy() {
    ManagedChannel ch = serve(Route.newBuilder().setRoute(RouteAction.newBuilder()
        .setCluster(PRIMARY).setRetryPolicy(retries("deadline-exceeded,unavailable", 2, 300))));
    call(ch, id() + ";ok", new Metadata(), null);
    String id = id();

    long start = System.nanoTime();
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
        () -> call(ch, id + ";slowFirst=4000", new Metadata(), null));
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(e.getStatus().getDescription()).contains("per-try timeout");
    assertThat(primary.tries(id)).hasSize(1);
    assertThat(tookMs).isBetween(290L, 2000L);
  }

  @Test
  void routeTimeout_boundsAllTries_andEndsTheCallDeadlineExceeded() {
    ManagedChannel ch = serve(Route.newBuilder().setRoute(RouteAction.newBuilder()
        .setCluster(PRIMARY).setRetryPolicy(retries("5xx", 10, 300))
        .setTimeout(millis(1000))
        .setMaxStreamDuration(RouteAction.MaxStreamDuration.newBuilder()
            .setMaxStreamDuration(millis(1000)))));
    call(ch, id() + ";ok", new Metadata(), null);
    String id = id();

    long start = System.nanoTime();
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
        () -> call(ch, id + ";slow=5000", new Metadata(), null));
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    // about 1000 / (300 + backoff) tries: more than one, fewer than the 11 allowed
    assertThat(primary.tries(id)).hasSizeBetween(2, 4);
    assertThat(tookMs).isBetween(950L, 2500L);
  }

  @Test
  void retryOn_retriesListedCodes_andNotOthers() {
    ManagedChannel ch = serve(Route.newBuilder().setRoute(RouteAction.newBuilder()
        .setCluster(PRIMARY).setRetryPolicy(retries("unavailable", 2, 2000))));

    assertRetriesUnavailableOnly(ch);
  }

  /** A first try failing UNAVAILABLE is retried, one failing PERMISSION_DENIED is not. */
  private static void assertRetriesUnavailableOnly(ManagedChannel ch) {
    String retried = id();
    String notRetried = id();

    String answer = call(ch, retried + ";failFirst=UNAVAILABLE", new Metadata(), null);
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
        () -> call(ch, notRetried + ";failFirst=PERMISSION_DENIED", new Metadata(), null));

    assertThat(answer).isEqualTo("primary");
    assertThat(primary.tries(retried)).hasSize(2);
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(primary.tries(notRetried)).hasSize(1);
  }

  @Test
  void retryPolicyWithoutPerTryTimeout_isRunByGrpc_fromTheMethodConfigTheFilterHandsIt() {
    // as every Istio route has by default: grpc retries, from a method config the route filter
    // builds once (grpc-xds no longer sees the policy, see InboardResolverClient)
    ManagedChannel ch = serve(Route.newBuilder().setRoute(RouteAction.newBuilder()
        .setCluster(PRIMARY)
        .setRetryPolicy(retries("unavailable", 2, 0).toBuilder().clearPerTryTimeout())));

    assertRetriesUnavailableOnly(ch);
  }

  @Test
  void routeTimeoutWithoutRetries_boundsTheCall_fromTheMethodConfigTheFilterHandsIt() {
    ManagedChannel ch = serve(Route.newBuilder().setRoute(RouteAction.newBuilder()
        .setCluster(PRIMARY).setTimeout(millis(400))
        .setMaxStreamDuration(RouteAction.MaxStreamDuration.newBuilder()
            .setMaxStreamDuration(millis(400)))));
    call(ch, id() + ";ok", new Metadata(), null);
    String id = id();

    long start = System.nanoTime();
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
        () -> call(ch, id + ";slow=5000", new Metadata(), null));
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(primary.tries(id)).hasSize(1);
    // the call's own deadline is 5 s: only the route's 400 ms ends it this early
    assertThat(tookMs).isBetween(380L, 3000L);
  }

  @Test
  void mirrorAtFullShare_reachesTheMirrorWithShadowAuthority_andTheCallerGetsThePrimarysAnswer() {
    ManagedChannel ch = serve(Route.newBuilder().setRoute(RouteAction.newBuilder()
        .setCluster(PRIMARY)
        .addRequestMirrorPolicies(RouteAction.RequestMirrorPolicy.newBuilder().setCluster(MIRROR)
            .setRuntimeFraction(RuntimeFractionalPercent.newBuilder().setDefaultValue(
                FractionalPercent.newBuilder().setNumerator(100)
                    .setDenominator(FractionalPercent.DenominatorType.HUNDRED)))))
        .addRequestHeadersToAdd(option("x-set", "new", HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD)));
    String id = id();

    String answer = call(ch, id + ";ok", new Metadata(), null);

    assertThat(answer).isEqualTo("primary");
    await().atMost(java.time.Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(mirror.tries(id)).hasSize(1));
    RouteBackend.Seen copy = mirror.tries(id).get(0);
    String authority = primary.tries(id).get(0).authority();
    assertThat(copy.authority()).isEqualTo(authority.replace(".test:80", ".test-shadow:80"));
    assertThat(copy.headers().getAll(key("x-set"))).containsExactly("new");
  }

  @Test
  void negativePerTryTimeout_isNackedNamingTheField() {
    try (XdsChannels own = XdsChannels.forControlPlane(ads.address())
        .initialConfigTimeout(java.time.Duration.ofSeconds(2)).build()) {
      String listener = "bad" + IDS.incrementAndGet() + ".test:80";
      serveOnly(listener, Route.newBuilder().setRoute(RouteAction.newBuilder().setCluster(PRIMARY)
          .setRetryPolicy(RetryPolicy.newBuilder().setRetryOn("unavailable")
              .setPerTryTimeout(Duration.newBuilder().setSeconds(-1)))));
      ManagedChannel ch = own.channel(listener);
      channels.add(ch);

      StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
          () -> call(ch, id() + ";ok", new Metadata(), null));

      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(own.resources().toString()).contains("NACKED")
              .contains("route.retry_policy.per_try_timeout: -1s (expected: >= 0s)"));
    }
  }

  // ---------------------------------------------------------------------------------------------

  private static String id() {
    return "call-" + IDS.incrementAndGet();
  }

  private static Metadata.Key<String> key(String name) {
    return Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER);
  }

  private static Duration millis(long ms) {
    return Duration.newBuilder().setSeconds(ms / 1000).setNanos((int) (ms % 1000) * 1_000_000)
        .build();
  }

  private static HeaderValueOption option(String name, String value, HeaderAppendAction action) {
    return HeaderValueOption.newBuilder()
        .setHeader(HeaderValue.newBuilder().setKey(name).setValue(value))
        .setAppendAction(action).build();
  }

  private static RetryPolicy retries(String on, int retries, long perTryMs) {
    return RetryPolicy.newBuilder().setRetryOn(on).setNumRetries(UInt32Value.of(retries))
        .setPerTryTimeout(millis(perTryMs))
        .setRetryBackOff(RetryPolicy.RetryBackOff.newBuilder()
            .setBaseInterval(millis(10)).setMaxInterval(millis(20)))
        .build();
  }

  /** One call with a 5 s deadline; its answer (the backend's name). */
  private static String call(ManagedChannel ch, String request, Metadata headers,
      AtomicReference<Metadata> responseHeaders) {
    AtomicReference<Metadata> trailers = new AtomicReference<>();
    AtomicReference<Metadata> received = responseHeaders != null ? responseHeaders
        : new AtomicReference<>();
    return SimpleServiceGrpc.newBlockingStub(ch)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers),
            MetadataUtils.newCaptureMetadataInterceptor(received, trailers))
        .withDeadlineAfter(5, TimeUnit.SECONDS)
        .unaryRpc(SimpleRequest.newBuilder().setRequestMessage(request).build())
        .getResponseMessage();
  }

  /** Serves {@code route} on a new listener (and the mirror's); a channel to it. */
  private ManagedChannel serve(Route.Builder route) {
    String listener = "t" + IDS.incrementAndGet() + ".test:80";
    serveOnly(listener, route);
    ManagedChannel ch = xds.channel(listener);
    channels.add(ch);
    return ch;
  }

  private static synchronized void serveOnly(String listener, Route.Builder route) {
    String mirrorListener = MeshXdsNames.mirrorListener(MIRROR);
    RouteConfiguration routes = RouteConfiguration.newBuilder().setName(listener)
        .addVirtualHosts(VirtualHost.newBuilder().setName("vh").addDomains("*")
            .addRoutes(withFilterConfig(route)))
        .build();
    RouteConfiguration mirrorRoutes = RouteConfiguration.newBuilder().setName(mirrorListener)
        .addVirtualHosts(VirtualHost.newBuilder().setName("mirror").addDomains("*")
            .addRoutes(Route.newBuilder().setMatch(RouteMatch.newBuilder().setPrefix(""))
                .setRoute(RouteAction.newBuilder().setCluster(MIRROR))))
        .build();
    HttpFilter filter = HttpFilter.newBuilder().setName(MeshXdsNames.GRPC_ROUTE_FILTER)
        .setIsOptional(true)
        .setTypedConfig(Any.newBuilder().setTypeUrl(MeshXdsNames.GRPC_ROUTE_TYPE_URL)).build();
    LISTENERS.put(listener, TestAds.apiListener(listener, filter));
    LISTENERS.put(mirrorListener, TestAds.apiListener(mirrorListener, filter));
    ROUTES.put(listener, routes);
    ROUTES.put(mirrorListener, mirrorRoutes);
    ads.serve(
        List.of(TestAds.edsCluster(PRIMARY).build(), TestAds.edsCluster(SECOND).build(),
            TestAds.edsCluster(MIRROR).build()),
        List.of(TestAds.endpoints(PRIMARY, primary.port()),
            TestAds.endpoints(SECOND, second.port()), TestAds.endpoints(MIRROR, mirror.port())),
        List.copyOf(LISTENERS.values()), List.copyOf(ROUTES.values()));
  }

  /**
   * {@code route} matching every call, carrying the filter's per-route config as the control
   * plane writes it: the route without match and per-filter configs, and on each weighted
   * cluster the same with the split reduced to that cluster.
   */
  private static Route withFilterConfig(Route.Builder route) {
    Route inner = route.clone().clearMatch().clearTypedPerFilterConfig().build();
    RouteAction action = route.getRoute();
    if (action.hasWeightedClusters()) {
      WeightedCluster.Builder split = action.getWeightedClusters().toBuilder();
      for (int i = 0; i < split.getClustersCount(); i++) {
        WeightedCluster.ClusterWeight cw = split.getClusters(i);
        Route one = inner.toBuilder().setRoute(inner.getRoute().toBuilder()
            .setWeightedClusters(WeightedCluster.newBuilder().addClusters(cw))).build();
        split.setClusters(i, cw.toBuilder()
            .putTypedPerFilterConfig(MeshXdsNames.GRPC_ROUTE_FILTER, filterConfig(one)));
      }
      route.setRoute(action.toBuilder().setWeightedClusters(split));
    }
    return route.setMatch(RouteMatch.newBuilder().setPrefix(""))
        .putTypedPerFilterConfig(MeshXdsNames.GRPC_ROUTE_FILTER, filterConfig(inner)).build();
  }

  private static Any filterConfig(Route inner) {
    return Any.pack(FilterConfig.newBuilder().setIsOptional(true)
        .setConfig(Any.newBuilder().setTypeUrl(MeshXdsNames.GRPC_ROUTE_TYPE_URL)
            .setValue(inner.toByteString()))
        .build());
  }
}
