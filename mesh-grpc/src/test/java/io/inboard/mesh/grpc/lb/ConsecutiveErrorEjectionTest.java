package io.inboard.mesh.grpc.lb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.github.xds.type.v3.TypedStruct;
import com.google.protobuf.Any;
import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.UInt32Value;
import com.google.protobuf.Value;
import com.google.protobuf.util.Durations;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.cluster.v3.LoadBalancingPolicy;
import io.envoyproxy.envoy.config.cluster.v3.OutlierDetection;
import io.envoyproxy.envoy.config.core.v3.TypedExtensionConfig;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.load_balancing_policies.round_robin.v3.RoundRobin;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import io.inboard.mesh.api.internal.MeshXdsNames;
import io.inboard.mesh.grpc.XdsChannels;
import io.inboard.mesh.grpc.mtls.TestAds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Consecutive-error ejection on a real xDS channel: a hand-fed ADS server serves a Cluster whose
 * {@code load_balancing_policy} is the {@link MeshXdsNames#GRPC_OUTLIER_POLICY} TypedStruct as
 * the control plane writes it (then plain round robin), and the channel calls backends on
 * 127.0.0.1 that fail on demand.
 */
class ConsecutiveErrorEjectionTest {

  private static final String HOST = "reviews.default.svc.cluster.local";
  private static final String LISTENER = HOST + ":9080";
  private static final String CLUSTER = "outbound|9080||" + HOST;
  /** Long enough never to end within a test. */
  private static final int FOREVER_MS = 60_000;

  private final List<EjectionBackend> backends = new ArrayList<>();
  private TestAds ads;
  private XdsChannels xds;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    ads = new TestAds();
    xds = XdsChannels.forControlPlane(ads.address()).build();
    channel = xds.channel(LISTENER);
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    xds.close();
    ads.close();
    backends.forEach(EjectionBackend::close);
  }

  @Test
  void threeConsecutiveUnavailable_ejectForBaseTime_andASecondEjectionLastsTwiceAsLong()
      throws Exception {
    EjectionBackend a = backend("a").failWith(Status.UNAVAILABLE);
    EjectionBackend b = backend("b");
    serve(policy(3, 0, 100, 400, 10_000, 50, 0), a, b);

    // a-hits with their times; an ejection shows as a gap in them while b takes every call
    List<Long> hitsOfA = new ArrayList<>();
    List<Long> gapsMs = new ArrayList<>();
    List<Integer> hitsBeforeGap = new ArrayList<>();
    await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(1)).until(() -> {
      if (call().equals("a")) {
        long now = System.nanoTime();
        if (!hitsOfA.isEmpty()) {
          long gap = TimeUnit.NANOSECONDS.toMillis(now - hitsOfA.get(hitsOfA.size() - 1));
          if (gap >= 250) {
            gapsMs.add(gap);
            hitsBeforeGap.add(hitsOfA.size());
          }
        }
        hitsOfA.add(now);
      }
      return gapsMs.size() >= 2;
    });

    assertThat(hitsBeforeGap.get(0)).as("a's failures before its first ejection").isEqualTo(3);
    assertThat(hitsBeforeGap.get(1) - hitsBeforeGap.get(0))
        .as("a's failures after its return before the second ejection").isEqualTo(3);
    // ejections end on the first 100 ms tick after their time: 400..500 ms, then 800..900 ms
    assertThat(gapsMs.get(0)).as("first ejection, ms").isBetween(400L, 799L);
    assertThat(gapsMs.get(1)).as("second ejection, ms").isBetween(800L, 1_500L);
  }

  @Test
  void consecutiveGatewayErrors_countUnavailableAndDeadlineExceeded_butNotInternal()
      throws Exception {
    EjectionBackend a = backend("a").failWith(Status.INTERNAL);
    EjectionBackend b = backend("b");
    serve(policy(0, 3, 100, FOREVER_MS, FOREVER_MS, 50, 0), a, b);

    assertThat(hits(40).getOrDefault("a", 0)).as("INTERNAL is no gateway error").isGreaterThan(10);

    a.failWith(Status.UNAVAILABLE, Status.DEADLINE_EXCEEDED);
    int aBeforeEjection = 0;
    for (int i = 0; i < 20; i++) {
      aBeforeEjection += call().equals("a") ? 1 : 0;
    }
    assertThat(aBeforeEjection).as("gateway errors before a's ejection").isEqualTo(3);
    assertThat(hits(20)).containsOnlyKeys("b");
  }

  @Test
  void maxEjectionPercent_leavesTheThirdFailingEndpointOfFourIn() throws Exception {
    EjectionBackend a = backend("a").failWith(Status.UNAVAILABLE);
    EjectionBackend b = backend("b").failWith(Status.UNAVAILABLE);
    EjectionBackend c = backend("c").failWith(Status.UNAVAILABLE);
    EjectionBackend d = backend("d");
    serve(policy(2, 0, 100, FOREVER_MS, FOREVER_MS, 50, 0), a, b, c, d);

    hits(60);

    // 50 % of 4: two may be ejected; Envoy's check 100 * (ejected + 1) / 4 <= 50 stops a third
    Map<String, Integer> after = hits(40);
    assertThat(after).containsKey("d").hasSize(2);
    assertThat(Set.of("a", "b", "c")).containsAnyElementsOf(after.keySet());
  }

  @Test
  void belowMinHealthPercent_picksIgnoreEjection() throws Exception {
    EjectionBackend a = backend("a").failWith(Status.UNAVAILABLE);
    EjectionBackend b = backend("b");
    backend("c");
    serve(policy(3, 0, 100, FOREVER_MS, FOREVER_MS, 100, 50), backends.toArray(
        EjectionBackend[]::new));
    hits(30);
    assertThat(hits(30)).as("a ejected, 2 of 3 healthy").doesNotContainKey("a");

    b.failWith(Status.UNAVAILABLE);
    hits(30);

    // b ejected too: 1 of 3 healthy is below 50 %, so every endpoint is picked again
    assertThat(hits(30)).containsOnlyKeys("a", "b", "c");
  }

  @Test
  void wrrLocalityAsChild_getsTheLocalities_andTheEjectionStillApplies() throws Exception {
    EjectionBackend a = backend("a").failWith(Status.UNAVAILABLE);
    EjectionBackend b = backend("b");
    Map<String, Object> policy = policy(3, 0, 100, FOREVER_MS, FOREVER_MS, 50, 0);
    // grpc-xds gives a bare custom policy no locality weights; wrr_locality below it reads them
    policy.put("childPolicy", List.of(Map.of("wrr_locality_experimental",
        Map.of("childPolicy", List.of(Map.of("round_robin", Map.of()))))));
    serve(policy, a, b);

    assertThat(hits(20).get("a")).as("a's failures before its ejection").isEqualTo(3);
    assertThat(hits(20)).containsOnlyKeys("b");
  }

  @Test
  void maxEjectionPercentOver100_isNackedNamingTheField() throws Exception {
    Map<String, Object> bad = policy(3, 0, 100, 400, 10_000, 150, 0);
    serve(bad, backend("a"));

    Throwable failure = catchThrowable(this::call);

    assertThat(failure).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(e.getStatus().getDescription()).contains(CLUSTER)
          .contains(MeshXdsNames.GRPC_OUTLIER_POLICY
              + ": maxEjectionPercent: 150 (expected: 0..100)");
    });
    await().untilAsserted(() -> assertThat(xds.resources().toString())
        .contains("NACKED").contains("maxEjectionPercent: 150 (expected: 0..100)"));
  }

  private EjectionBackend backend(String name) throws Exception {
    EjectionBackend backend = new EjectionBackend(name);
    backends.add(backend);
    return backend;
  }

  /** The backend that answered the call, by its answer or its error's description. */
  private String call() {
    try {
      return SimpleServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
          .unaryRpc(SimpleRequest.newBuilder().setRequestMessage("hi").build())
          .getResponseMessage();
    } catch (StatusRuntimeException e) {
      String who = e.getStatus().getDescription();
      if (who == null || who.length() != 1) {
        throw e;
      }
      return who;
    }
  }

  /** How many of {@code calls} calls each backend took. */
  private Map<String, Integer> hits(int calls) {
    Map<String, Integer> hits = new HashMap<>();
    for (int i = 0; i < calls; i++) {
      hits.merge(call(), 1, Integer::sum);
    }
    return hits;
  }

  private static Map<String, Object> policy(int consecutive5xx, int consecutiveGatewayErrors,
      int intervalMs, int baseEjectionTimeMs, int maxEjectionTimeMs, int maxEjectionPercent,
      int minHealthPercent) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("consecutive5xx", consecutive5xx);
    p.put("consecutiveGatewayErrors", consecutiveGatewayErrors);
    p.put("intervalMs", intervalMs);
    p.put("baseEjectionTimeMs", baseEjectionTimeMs);
    p.put("maxEjectionTimeMs", maxEjectionTimeMs);
    p.put("maxEjectionPercent", maxEjectionPercent);
    p.put("minHealthPercent", minHealthPercent);
    p.put("childPolicy", List.of(Map.of("round_robin", Map.of())));
    return p;
  }

  /** Serves the cluster with the policy as the contract has it, and {@code endpoints}. */
  private void serve(Map<String, Object> policy, EjectionBackend... endpoints) {
    Any ours = Any.pack(TypedStruct.newBuilder()
        .setTypeUrl("type.googleapis.com/" + MeshXdsNames.GRPC_OUTLIER_POLICY)
        .setValue(value(policy).getStructValue()).build());
    // as the control plane writes it: Envoy's consecutive fields for HTTP clients, A50's success
    // rate off, so that grpc-xds's own outlier detection (above cluster_impl) stays idle
    OutlierDetection envoyFields = OutlierDetection.newBuilder()
        .setConsecutive5Xx(UInt32Value.of(((Number) policy.get("consecutive5xx")).intValue()))
        .setInterval(Durations.fromMillis(((Number) policy.get("intervalMs")).longValue()))
        .setBaseEjectionTime(Durations.fromMillis(
            ((Number) policy.get("baseEjectionTimeMs")).longValue()))
        .setEnforcingSuccessRate(UInt32Value.of(0))
        .build();
    Cluster cluster = TestAds.edsCluster(CLUSTER).clearLbPolicy().setOutlierDetection(envoyFields)
        .setLoadBalancingPolicy(LoadBalancingPolicy.newBuilder()
            .addPolicies(policy(MeshXdsNames.GRPC_OUTLIER_POLICY, ours))
            .addPolicies(policy("envoy.load_balancing_policies.round_robin",
                Any.pack(RoundRobin.getDefaultInstance()))))
        .build();
    RouteConfiguration routes = RouteConfiguration.newBuilder().setName(LISTENER)
        .addVirtualHosts(VirtualHost.newBuilder().setName(HOST).addDomains("*")
            .addRoutes(Route.newBuilder().setMatch(RouteMatch.newBuilder().setPrefix(""))
                .setRoute(RouteAction.newBuilder().setCluster(CLUSTER))))
        .build();
    int[] ports = Arrays.stream(endpoints).mapToInt(EjectionBackend::port).toArray();
    ads.serve(List.of(cluster), List.of(TestAds.endpoints(CLUSTER, ports)),
        List.of(TestAds.apiListener(LISTENER)), List.of(routes));
  }

  private static LoadBalancingPolicy.Policy policy(String name, Any config) {
    return LoadBalancingPolicy.Policy.newBuilder().setTypedExtensionConfig(
        TypedExtensionConfig.newBuilder().setName(name).setTypedConfig(config)).build();
  }

  private static Value value(Object o) {
    if (o instanceof Number n) {
      return Value.newBuilder().setNumberValue(n.doubleValue()).build();
    }
    if (o instanceof String s) {
      return Value.newBuilder().setStringValue(s).build();
    }
    if (o instanceof List<?> list) {
      ListValue.Builder l = ListValue.newBuilder();
      list.forEach(e -> l.addValues(value(e)));
      return Value.newBuilder().setListValue(l).build();
    }
    Struct.Builder s = Struct.newBuilder();
    new TreeSet<>(((Map<?, ?>) o).keySet()).forEach(k ->
        s.putFields((String) k, value(((Map<?, ?>) o).get(k))));
    return Value.newBuilder().setStructValue(s).build();
  }
}
