package io.inboard.mesh.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.controlplane.testing.ControlPlaneExtension;
import io.inboard.mesh.grpc.MeshChannels;
import io.inboard.mesh.grpc.MeshServerInterceptor;
import io.inboard.mesh.testing.LoopbackPorts;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The service graph from real workloads: reviews-v1 calls ratings-v1 over gRPC through a mesh
 * channel in xDS mode, both with Istio's metrics and an admin server (mesh-telemetry), and the
 * control plane scrapes them at the admin addresses they announce.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServiceGraphTest {
  private static final String EDGE = "default/reviews-v1 -> default/ratings-v1";

  @RegisterExtension
  static final ControlPlaneExtension cp = ControlPlaneExtension.builder()
      .configure(b -> b.graphScrapeInterval(Duration.ofMillis(500))).build();

  private static final AtomicBoolean failing = new AtomicBoolean();
  private static Server ratings;
  private static ManagedChannel channel;
  private static SimpleServiceGrpc.SimpleServiceBlockingStub stub;
  private static AdminHttp admin;

  @BeforeAll
  static void startWorkloads() throws Exception {
    int port = LoopbackPorts.free();
    Mesh ratingsMesh = cp.mesh("ratings-v1", b -> b.label("app", "ratings")
        .label("version", "v1").serves("ratings", Map.of("grpc", port)).adminPort(0));
    ratings = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
        .addService(new SimpleServiceGrpc.SimpleServiceImplBase() {
          @Override
          public void unaryRpc(SimpleRequest req, StreamObserver<SimpleResponse> out) {
            if (failing.get()) {
              out.onError(Status.UNAVAILABLE.withDescription("ratings down").asException());
              return;
            }
            out.onNext(SimpleResponse.getDefaultInstance());
            out.onCompleted();
          }
        })
        .intercept(MeshServerInterceptor.of(ratingsMesh)).build().start();
    Mesh reviewsMesh = cp.mesh("reviews-v1", b -> b.label("app", "reviews")
        .label("version", "v1").adminPort(0));
    channel = MeshChannels.forService(reviewsMesh, "ratings:" + port).build();
    stub = SimpleServiceGrpc.newBlockingStub(channel).withDeadlineAfter(1, TimeUnit.MINUTES);
    admin = new AdminHttp(cp.controlPlane());
    // a first successful call: the client is connected, and both sides hold the series
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
        .until(() -> stub.withDeadlineAfter(5, TimeUnit.SECONDS)
            .unaryRpc(SimpleRequest.getDefaultInstance()) != null);
  }

  @AfterAll
  static void stopWorkloads() {
    channel.shutdownNow();
    ratings.shutdownNow();
    admin.close();
  }

  private static JsonObject graph() throws Exception {
    AdminHttp.Reply r = admin.get("/api/v1/graph?duration=60s");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  private static Optional<JsonObject> edge(JsonObject graph, String id) {
    for (JsonElement e : graph.getAsJsonArray("edges")) {
      if (e.getAsJsonObject().get("id").getAsString().equals(id)) {
        return Optional.of(e.getAsJsonObject());
      }
    }
    return Optional.empty();
  }

  private static JsonObject node(JsonObject graph, String id) {
    for (JsonElement n : graph.getAsJsonArray("nodes")) {
      if (n.getAsJsonObject().get("id").getAsString().equals(id)) {
        return n.getAsJsonObject();
      }
    }
    throw new AssertionError("no node " + id + " in " + graph);
  }

  private static boolean scrapedAllAfter(JsonObject graph, Instant t) {
    for (JsonElement w : graph.getAsJsonArray("workloads")) {
      JsonObject scrape = w.getAsJsonObject().getAsJsonObject("scrape");
      if (scrape == null || !Instant.parse(scrape.get("at").getAsString()).isAfter(t)) {
        return false;
      }
    }
    return true;
  }

  private static void calls(int n) {
    for (int i = 0; i < n; i++) {
      try {
        stub.unaryRpc(SimpleRequest.getDefaultInstance());
      } catch (StatusRuntimeException e) {
        // counted by both sides' metrics; the graph is what is checked
      }
    }
  }

  @Test
  @Order(1)
  void workloadsAnnounceTheirAdminServers_andAreScraped() throws Exception {
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      JsonObject g = graph();
      assertThat(g.get("source").getAsString()).isEqualTo("scrape");
      assertThat(g.getAsJsonArray("workloads")).hasSize(2).allSatisfy(w -> {
        JsonObject o = w.getAsJsonObject();
        assertThat(o.get("adminAddress").getAsString()).as(o.toString())
            .matches("127\\.0\\.0\\.1:\\d+");
        assertThat(o.has("scrape")).as("scraped yet: %s", o).isTrue();
        assertThat(o.getAsJsonObject("scrape").get("state").getAsString()).isEqualTo("ok");
        assertThat(o.getAsJsonObject("xds").get("state").getAsString()).isEqualTo("ACK");
      });
      assertThat(g.getAsJsonArray("problems")).isEmpty();
    });
  }

  @Test
  @Order(2)
  void knownTraffic_isAHealthyEdgeWithItsRateLatencyAndNoMtls() throws Exception {
    // the count before: from scrapes that began after every earlier call had ended (a scrape
    // that ends three intervals from now began after now)
    Instant settled = Instant.now().plusMillis(1500);
    await().atMost(Duration.ofSeconds(20)).until(() -> scrapedAllAfter(graph(), settled));
    double before = edge(graph(), EDGE).map(e -> e.get("requests").getAsDouble()).orElse(0.0);

    calls(20);

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      JsonObject g = graph();
      JsonObject e = edge(g, EDGE).orElseThrow(() -> new AssertionError("no edge in " + g));
      // both reporters count each call; the graph counts it once
      assertThat(e.get("requests").getAsDouble()).as(e.toString()).isEqualTo(before + 20);
      assertThat(e.get("rps").getAsDouble()).isPositive();
      assertThat(e.get("protocol").getAsString()).isEqualTo("grpc");
      assertThat(e.get("health").getAsString()).isEqualTo("healthy");
      assertThat(e.get("errorPercent").getAsDouble()).isZero();
      assertThat(e.get("p95Ms").isJsonNull()).isFalse();
      assertThat(e.get("mtlsPercent").isJsonNull()).as(e.toString()).isFalse();
      assertThat(e.get("mtlsPercent").getAsDouble()).isZero(); // plaintext: policy "none"
      assertThat(e.getAsJsonObject("responses").keySet()).containsExactly("0");
      JsonObject ratingsNode = node(g, "default/ratings-v1");
      assertThat(ratingsNode.get("app").getAsString()).isEqualTo("ratings");
      assertThat(ratingsNode.get("version").getAsString()).isEqualTo("v1");
      assertThat(ratingsNode.get("nodeType").getAsString()).isEqualTo("workload");
      assertThat(ratingsNode.getAsJsonObject("xds").get("state").getAsString()).isEqualTo("ACK");
    });
  }

  @Test
  @Order(3)
  void backendFailingEveryCall_turnsTheEdgeAndItsTargetToFailure() throws Exception {
    failing.set(true);
    try {
      calls(30);

      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
        JsonObject g = graph();
        JsonObject e = edge(g, EDGE).orElseThrow(() -> new AssertionError("no edge in " + g));
        assertThat(e.get("health").getAsString()).as(e.toString()).isEqualTo("failure");
        assertThat(e.getAsJsonObject("responses").keySet()).contains("14");
        assertThat(e.get("errorPercent").getAsDouble()).isGreaterThanOrEqualTo(10.0);
        assertThat(node(g, "default/ratings-v1").get("health").getAsString())
            .isEqualTo("failure");
      });
    } finally {
      failing.set(false);
    }
  }

  @Test
  @Order(4)
  void faultAbortInTheClient_failsTheEdgeToTheServiceItNeverReached() throws Exception {
    String abort = """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: ratings}
        spec:
          hosts: [ratings]
          http:
          - route: [{destination: {host: ratings}}]
            fault:
              abort: {percentage: {value: 100}, grpcStatus: UNAVAILABLE}
        """;
    cp.apply(abort);
    try {
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
        calls(10);
        JsonObject g = graph();
        // no server saw these: the client reports them with no response and no workload
        JsonObject e = edge(g, "default/reviews-v1 -> service:default/ratings")
            .orElseThrow(() -> new AssertionError("no edge to the service in " + g));
        assertThat(e.get("health").getAsString()).isEqualTo("failure");
        assertThat(e.getAsJsonObject("responses").keySet()).containsExactly("-");
        assertThat(e.get("errorPercent").getAsDouble()).isEqualTo(100.0);
        assertThat(node(g, "service:default/ratings").get("nodeType").getAsString())
            .isEqualTo("service");
      });
    } finally {
      cp.controlPlane().delete(abort);
    }
  }

  @Test
  @Order(5)
  void page_isServedSelfContained() throws Exception {
    AdminHttp.Reply page = admin.get("/ui");

    assertThat(page.status()).isEqualTo(200);
    // nothing fetched from elsewhere: the only URL is the SVG namespace, which is a name
    assertThat(page.body()).contains("/api/v1/graph", "data-edge", "data-node", "data-health")
        .doesNotContain("<script src", "<link", "@import", "https://")
        .doesNotContainPattern("http://(?!www\\.w3\\.org/2000/svg\")");
  }

  @Test
  @Order(6)
  void badDuration_isRefusedNamingTheParameter() throws Exception {
    AdminHttp.Reply r = admin.get("/api/v1/graph?duration=forever");

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().get("error").getAsString())
        .isEqualTo("duration: 'forever' (expected: 1s..600s, as seconds, 60s, 5m or 1h)");
  }
}
