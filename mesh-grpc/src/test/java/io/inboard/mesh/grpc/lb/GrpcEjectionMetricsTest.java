package io.inboard.mesh.grpc.lb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.xds.type.v3.TypedStruct;
import com.google.protobuf.Any;
import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.UInt32Value;
import com.google.protobuf.Value;
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
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.internal.MeshXdsNames;
import io.inboard.mesh.grpc.MeshChannels;
import io.inboard.mesh.grpc.mtls.TestAds;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A gRPC client's ejections show in the workload's {@code /stats/prometheus} with the HTTP
 * client's names and labels: Envoy's {@code envoy_cluster_outlier_detection_ejections_enforced_total}
 * and {@code _ejections_active}, labelled {@code cluster_name} with the Istio cluster.
 */
class GrpcEjectionMetricsTest {

  private static final String HOST = "reviews.default.svc.cluster.local";
  private static final String LISTENER = HOST + ":9080";
  private static final String CLUSTER = "outbound|9080||" + HOST;
  private static final String LABEL = "{cluster_name=\"" + CLUSTER + "\"}";

  private TestAds ads;
  private Mesh mesh;
  private ManagedChannel channel;
  private EjectionBackend a;
  private EjectionBackend b;

  @BeforeEach
  void start() throws Exception {
    ads = new TestAds();
    mesh = Mesh.builder().workloadName("productpage-v1").namespace("default")
        .label("app", "productpage").label("version", "v1").controlPlane(ads.address())
        .adminPort(0).build();
    a = new EjectionBackend("a");
    b = new EjectionBackend("b");
  }

  @AfterEach
  void stop() {
    if (channel != null) {
      channel.shutdownNow();
    }
    mesh.close();
    ads.close();
    a.close();
    b.close();
  }

  @Test
  void anEjectionIsCountedAndShownActive_underTheClusterName() throws Exception {
    serve(true);
    channel = MeshChannels.forService(mesh, "reviews:9080").build();
    assertThat(scrape()).doesNotContain("outlier_detection_ejections");

    a.failWith(Status.UNAVAILABLE);
    // three failures eject a; then b takes every call
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
        .until(() -> hitsOfA(10) == 0);

    String body = scrape();
    assertThat(body).contains(
        "envoy_cluster_outlier_detection_ejections_enforced_total" + LABEL + " 1\n",
        "envoy_cluster_outlier_detection_ejections_active" + LABEL + " 1\n");
  }

  @Test
  void withoutAClusterName_nothingIsReported_butEjectionStillWorks() throws Exception {
    serve(false);
    channel = MeshChannels.forService(mesh, "reviews:9080").build();

    a.failWith(Status.UNAVAILABLE);
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
        .until(() -> hitsOfA(10) == 0);

    assertThat(scrape()).doesNotContain("outlier_detection_ejections");
  }

  private int hitsOfA(int calls) {
    int hits = 0;
    for (int i = 0; i < calls; i++) {
      try {
        SimpleServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
            .unaryRpc(SimpleRequest.newBuilder().setRequestMessage("hi").build());
      } catch (StatusRuntimeException e) {
        if (!"a".equals(e.getStatus().getDescription())) {
          throw e;
        }
        hits++;
      }
    }
    return hits;
  }

  private String scrape() throws Exception {
    int port = mesh.adminAddress().orElseThrow().getPort();
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + "/stats/prometheus")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  /** The cluster with Inboard's policy (3 consecutive errors, ejection for a minute). */
  private void serve(boolean withClusterName) {
    Struct.Builder config = Struct.newBuilder()
        .putFields("consecutive5xx", number(3))
        .putFields("intervalMs", number(100))
        .putFields("baseEjectionTimeMs", number(60_000))
        .putFields("maxEjectionPercent", number(50))
        .putFields("childPolicy", Value.newBuilder().setListValue(ListValue.newBuilder()
            .addValues(Value.newBuilder().setStructValue(Struct.newBuilder().putFields(
                "round_robin", Value.newBuilder().setStructValue(Struct.getDefaultInstance())
                    .build())))).build());
    if (withClusterName) {
      config.putFields("cluster", Value.newBuilder().setStringValue(CLUSTER).build());
    }
    Any ours = Any.pack(TypedStruct.newBuilder()
        .setTypeUrl("type.googleapis.com/" + MeshXdsNames.GRPC_OUTLIER_POLICY)
        .setValue(config).build());
    Cluster cluster = TestAds.edsCluster(CLUSTER).clearLbPolicy()
        .setOutlierDetection(OutlierDetection.newBuilder()
            .setEnforcingSuccessRate(UInt32Value.of(0)))
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
    ads.serve(List.of(cluster), List.of(TestAds.endpoints(CLUSTER, a.port(), b.port())),
        List.of(TestAds.apiListener(LISTENER)), List.of(routes));
  }

  private static LoadBalancingPolicy.Policy policy(String name, Any config) {
    return LoadBalancingPolicy.Policy.newBuilder().setTypedExtensionConfig(
        TypedExtensionConfig.newBuilder().setName(name).setTypedConfig(config)).build();
  }

  private static Value number(long n) {
    return Value.newBuilder().setNumberValue(n).build();
  }
}
