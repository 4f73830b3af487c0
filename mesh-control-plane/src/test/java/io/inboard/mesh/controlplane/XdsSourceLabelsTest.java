package io.inboard.mesh.controlplane;

import static io.inboard.mesh.controlplane.XdsMatchTest.servedBy;
import static io.inboard.mesh.controlplane.XdsTestBed.V1;
import static io.inboard.mesh.controlplane.XdsTestBed.V2;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.grpc.MeshChannels;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * VirtualService {@code sourceLabels}: callers announcing different labels in their node
 * metadata are served different routes for the same service.
 */
class XdsSourceLabelsTest {
  private static final String ROUTES =
      "type.googleapis.com/envoy.config.route.v3.RouteConfiguration";
  private static final String VS = """
      apiVersion: networking.istio.io/v1
      kind: VirtualService
      metadata: {name: reviews}
      spec:
        hosts: [reviews]
        http:
        - match: [{sourceLabels: {version: v2}}]
          route: [{destination: {host: reviews, subset: v2}}]
        - route: [{destination: {host: reviews, subset: v1}}]
      """;

  @RegisterExtension
  final XdsTestBed bed = new XdsTestBed();
  final List<Mesh> meshes = new ArrayList<>();
  final List<ManagedChannel> channels = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    bed.service("reviews");
  }

  @AfterEach
  void stop() {
    channels.forEach(ManagedChannel::shutdownNow);
    meshes.forEach(Mesh::close);
  }

  @Test
  void routesBySourceLabelsOfTheCaller() {
    bed.apply(VS);
    SimpleServiceGrpc.SimpleServiceBlockingStub v1 = stub("productpage-v1", "v1");
    SimpleServiceGrpc.SimpleServiceBlockingStub v2 = stub("productpage-v2", "v2");

    // each caller's label set is served its own routes from its first response on
    assertThat(servedBy(v2, false, 20)).containsOnlyKeys(V2);
    assertThat(servedBy(v1, false, 20)).containsOnlyKeys(V1);
    assertThat(servedBy(bed.stub("reviews"), false, 10)).containsOnlyKeys(V1);
    assertThat(servedBy(v2, false, 10)).containsOnlyKeys(V2);
  }

  @Test
  void connectedCallersFollowChangesToSourceLabelMatches() {
    SimpleServiceGrpc.SimpleServiceBlockingStub v1 = stub("productpage-v1", "v1");
    SimpleServiceGrpc.SimpleServiceBlockingStub v2 = stub("productpage-v2", "v2");
    // without a VirtualService both reach both subsets' endpoints
    assertThat(servedBy(v2, false, 40)).containsKeys(V1, V2);

    bed.apply(VS);

    Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(
        () -> assertThat(servedBy(v2, false, 10)).containsOnlyKeys(V2));
    Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(
        () -> assertThat(servedBy(v1, false, 10)).containsOnlyKeys(V1));
  }

  @Test
  void requestsWithoutTheNodeAreServedTheRoutesOfTheStreamsLabels() throws Exception {
    // Envoy and raw xDS clients send the node on a stream's first request only
    bed.apply(VS);
    String fqdn = "reviews.default.svc.cluster.local";
    String name = fqdn + ":" + bed.port();
    Node node = Node.newBuilder().setId("raw~1").setMetadata(Struct.newBuilder()
        .putFields("LABELS", Value.newBuilder().setStructValue(Struct.newBuilder()
            .putFields("version", Value.newBuilder().setStringValue("v2").build())).build()))
        .build();
    try (RawAdsStream ads = RawAdsStream.open(bed.cp.xdsAddress(), node)) {
      DiscoveryResponse listeners = ads.subscribe(RawAdsStream.LISTENER, List.of(name));
      ads.ack(listeners, List.of(name));

      DiscoveryResponse routes = ads.subscribe(ROUTES, List.of(name));

      RouteConfiguration rc = routes.getResources(0).unpack(RouteConfiguration.class);
      assertThat(rc.getVirtualHosts(0).getRoutesList())
          .extracting(r -> r.getRoute().getCluster())
          .containsExactly("outbound|" + bed.port() + "|v2|" + fqdn,
              "outbound|" + bed.port() + "|v1|" + fqdn);
    }
  }

  private SimpleServiceGrpc.SimpleServiceBlockingStub stub(String workload, String version) {
    Mesh mesh = Mesh.builder().workloadName(workload).namespace("default")
        .label("app", "productpage").label("version", version).instanceIps("127.0.0.1")
        .controlPlane(bed.cp.xdsAddress()).build();
    meshes.add(mesh);
    ManagedChannel ch = MeshChannels.forService(mesh, "reviews:" + bed.port()).build();
    channels.add(ch);
    return SimpleServiceGrpc.newBlockingStub(ch);
  }
}
