package io.inboard.mesh.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import io.inboard.mesh.grpc.XdsChannels;
import io.inboard.mesh.testing.GrpcBackendExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Workloads announce themselves in their xDS node metadata (real grpc-xds clients) and become
 * endpoints that other clients reach; they are removed a grace period after they disconnect.
 * Each test uses a service and loopback IP of its own.
 */
class AutoRegistrationTest {
  static final Duration GRACE = Duration.ofSeconds(3);

  static ControlPlane cp;
  static XdsChannels clients;

  @BeforeAll
  static void start() throws Exception {
    cp = ControlPlane.builder().xdsPort(0).registrationGracePeriod(GRACE).start();
    clients = XdsChannels.forControlPlane(cp.xdsAddress()).build();
  }

  @AfterAll
  static void stop() {
    clients.close();
    cp.close();
  }

  @Test
  void announcedWorkloadBecomesAnEndpointInEdsAndReceivesCalls() throws Exception {
    try (GrpcBackendExtension backend = GrpcBackendExtension.on("127.0.0.5").build().start();
        XdsWorkload w = XdsWorkload.connect(cp.xdsAddress(), "details-v1~1", XdsWorkload.serving(
            "details", "v1", backend.ip(), backend.port()), target("details", backend))) {
      await().atMost(Duration.ofSeconds(20)).until(() -> endpointsInEds("details", backend),
          eps -> !eps.isEmpty());
      assertThat(endpointsInEds("details", backend)).containsExactly("127.0.0.5");

      WorkloadStatus status = cp.workload("details-v1").orElseThrow();
      assertThat(status.nodeId()).isEqualTo("details-v1~1");
      assertThat(status.serviceAccount()).isEqualTo("bookinfo-details");
      assertThat(status.labels()).containsExactlyInAnyOrderEntriesOf(
          Map.of("app", "details", "version", "v1"));
      assertThat(status.endpoints()).containsExactly(new ServiceEndpoint(
          "details.default.svc.cluster.local", backend.port(), "127.0.0.5", backend.port(),
          status.labels(), "bookinfo-details"));
      assertThat(status.problems()).isEmpty();
      assertThat(status.connected()).isTrue();

      assertThat(call(target("details", backend))).isEqualTo("127.0.0.5");
    }
  }

  @Test
  void announcingWorkloadIsSentItsOwnServicesListener() throws Exception {
    // the workload's stream asks for its own listener, which exists only once it is registered:
    // the answer must come when the registration is published, not never
    try (GrpcBackendExtension backend = GrpcBackendExtension.on("127.0.0.10").build().start();
        XdsWorkload w = XdsWorkload.connect(cp.xdsAddress(), "productpage-v1~1",
            XdsWorkload.serving("productpage", "v1", backend.ip(), backend.port()),
            target("productpage", backend))) {
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
          assertThat(cp.workload("productpage-v1").orElseThrow().xds())
              .containsKey("type.googleapis.com/envoy.config.listener.v3.Listener"));
    }
  }

  @Test
  void disconnectedWorkloadStaysForTheGracePeriodThenIsRemoved() throws Exception {
    try (GrpcBackendExtension backend = GrpcBackendExtension.on("127.0.0.6").build().start()) {
      XdsWorkload w = XdsWorkload.connect(cp.xdsAddress(), "ratings-v1~1",
          XdsWorkload.serving("ratings", "v1", backend.ip(), backend.port()),
          target("ratings", backend));
      await().atMost(Duration.ofSeconds(20))
          .until(() -> endpointsInEds("ratings", backend).contains("127.0.0.6"));
      assertThat(call(target("ratings", backend))).isEqualTo("127.0.0.6");

      w.close();
      await().atMost(Duration.ofSeconds(10)).until(
          () -> cp.workload("ratings-v1").map(s -> !s.connected()).orElse(false));
      // well inside the 3 s grace period the endpoint is still served
      await().during(Duration.ofMillis(1500)).atMost(Duration.ofMillis(2500))
          .until(() -> endpointsInEds("ratings", backend).contains("127.0.0.6"));

      await().atMost(Duration.ofSeconds(10))
          .until(() -> endpointsInEds("ratings", backend).isEmpty());
      assertThat(cp.workload("ratings-v1")).isEmpty();
    }
  }

  @Test
  void workloadReconnectingWithinTheGracePeriodKeepsItsEndpoint() throws Exception {
    try (GrpcBackendExtension backend = GrpcBackendExtension.on("127.0.0.7").build().start()) {
      Map<String, Object> metadata = XdsWorkload.serving("reviews", "v2", backend.ip(),
          backend.port());
      XdsWorkload first = XdsWorkload.connect(cp.xdsAddress(), "reviews-v2~1", metadata,
          target("reviews", backend));
      await().atMost(Duration.ofSeconds(20))
          .until(() -> endpointsInEds("reviews", backend).contains("127.0.0.7"));
      first.close();
      await().atMost(Duration.ofSeconds(10)).until(
          () -> cp.workload("reviews-v2").map(s -> !s.connected()).orElse(false));

      try (XdsWorkload again = XdsWorkload.connect(cp.xdsAddress(), "reviews-v2~1", metadata,
          target("reviews", backend))) {
        await().atMost(Duration.ofSeconds(10)).until(
            () -> cp.workload("reviews-v2").map(WorkloadStatus::connected).orElse(false));
        // past the end of the first stream's grace period, the endpoint is still there
        await().during(GRACE.plusSeconds(1)).atMost(GRACE.plusSeconds(3))
            .until(() -> endpointsInEds("reviews", backend).contains("127.0.0.7"));
      }
    }
  }

  @Test
  void pureClientIsListedButRegistersNoEndpoint() throws Exception {
    Map<String, Object> metadata = Map.of("NAMESPACE", "shop", "WORKLOAD_NAME", "frontend",
        "INSTANCE_IPS", "127.0.0.8");
    try (XdsWorkload w = XdsWorkload.connect(cp.xdsAddress(), "frontend~1", metadata,
        "catalog.shop.svc.cluster.local:8080")) {
      WorkloadStatus status = await().atMost(Duration.ofSeconds(20))
          .until(() -> cp.workload("shop/frontend"), Optional::isPresent).orElseThrow();
      assertThat(status.service()).isEmpty();
      assertThat(status.endpoints()).isEmpty();
      assertThat(status.address()).isEqualTo("127.0.0.8");
      assertThat(status.problems()).isEmpty();
    }
  }

  private static String target(String service, GrpcBackendExtension backend) {
    return service + ".default.svc.cluster.local:" + backend.port();
  }

  private static String call(String target) throws InterruptedException {
    ManagedChannel ch = clients.channel(target);
    try {
      return SimpleServiceGrpc.newBlockingStub(ch).withWaitForReady()
          .withDeadlineAfter(20, TimeUnit.SECONDS)
          .unaryRpc(SimpleRequest.getDefaultInstance()).getResponseMessage();
    } finally {
      ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /**
   * The endpoint addresses EDS serves for the service's all-endpoints cluster. CDS is asked
   * first because java-control-plane's cache does not answer an ADS request for a resource that
   * is not in the snapshot, and a service without endpoints has no cluster.
   */
  private static List<String> endpointsInEds(String service, GrpcBackendExtension backend) throws Exception {
    String cluster = "outbound|" + backend.port() + "||" + service + ".default.svc.cluster.local";
    try (RawAdsStream ads = RawAdsStream.open(cp.xdsAddress(),
        Node.newBuilder().setId("eds-probe").build())) {
      boolean clusterServed = ads.subscribe(RawAdsStream.CLUSTERS, List.of())
          .getResourcesList().stream().anyMatch(any -> unpack(any, Cluster.class).getName()
              .equals(cluster));
      if (!clusterServed) {
        return List.of();
      }
      DiscoveryResponse r = ads.subscribe(RawAdsStream.ENDPOINTS, List.of(cluster));
      return r.getResourcesList().stream().map(any -> unpack(any, ClusterLoadAssignment.class))
          .filter(cla -> cla.getClusterName().equals(cluster))
          .flatMap(cla -> cla.getEndpointsList().stream())
          .flatMap(l -> l.getLbEndpointsList().stream())
          .map(LbEndpoint::getEndpoint).map(e -> e.getAddress().getSocketAddress().getAddress())
          .toList();
    }
  }

  private static <T extends Message> T unpack(Any any, Class<T> type) {
    try {
      return any.unpack(type);
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }
}
