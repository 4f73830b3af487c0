package io.inboard.mesh.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import io.inboard.mesh.grpc.XdsChannels;
import io.inboard.mesh.controlplane.testing.ControlPlaneExtension;
import io.inboard.mesh.testing.GrpcBackendExtension;
import io.inboard.mesh.testing.LoopbackPorts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A real control plane, real grpc-xds clients and real backends on loopback. Each test routes
 * its own service, so that a test's config is in place before its channel's first call.
 */
class XdsRoutingTest {
  static final String V1 = "127.0.0.2";
  static final String V2 = "127.0.0.3";

  static final int PORT = LoopbackPorts.free();

  @RegisterExtension
  static final ControlPlaneExtension controlPlane = ControlPlaneExtension.builder().build();
  @RegisterExtension
  static final GrpcBackendExtension v1 = GrpcBackendExtension.on(V1).port(PORT).version("v1").build();
  @RegisterExtension
  static final GrpcBackendExtension v2 = GrpcBackendExtension.on(V2).port(PORT).version("v2").build();
  static ControlPlane cp;
  static XdsChannels xds;
  final List<ManagedChannel> channels = new ArrayList<>();

  @BeforeAll
  static void start() {
    cp = controlPlane.controlPlane();
    xds = XdsChannels.forControlPlane(cp.xdsAddress()).build();
    for (String service : List.of("reviews", "ratings", "details")) {
      controlPlane.register(service, v1, v2).subsets(service, "v1", "v2");
    }
  }

  @AfterAll
  static void stop() {
    xds.close();
  }

  @AfterEach
  void closeChannels() throws InterruptedException {
    for (ManagedChannel ch : channels) {
      ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void routesHeaderExactMatchToSubset() {
    assertThat(cp.apply("""
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: reviews}
        spec:
          hosts: [reviews]
          http:
          - match: [{headers: {end-user: {exact: jason}}}]
            route: [{destination: {host: reviews, subset: v2}}]
          - route: [{destination: {host: reviews, subset: v1}}]
        """).all()).isEmpty();
    ManagedChannel ch = channel("reviews");

    assertThat(callsServedBy(ch, "jason", 20)).containsOnlyKeys(V2);
    assertThat(callsServedBy(ch, "alice", 20)).containsOnlyKeys(V1);
    assertThat(callsServedBy(ch, null, 20)).containsOnlyKeys(V1);
  }

  @Test
  void splitsTraffic80To20WithinFivePercentagePoints() {
    assertThat(cp.apply(weighted("ratings", 80, 20)).hasErrors()).isFalse();
    ManagedChannel ch = channel("ratings");

    Map<String, Integer> served = callsServedBy(ch, null, 1000);

    // 1000 calls at p = 0.8 have a standard deviation of 1.3 points: 5 points is ~4 sigma
    assertThat(served.getOrDefault(V1, 0)).isBetween(750, 850);
    assertThat(served.getOrDefault(V2, 0)).isBetween(150, 250);
  }

  @Test
  void rejectsInvalidVirtualServiceAndKeepsServingPreviousRoutes() throws Exception {
    assertThat(cp.apply(weighted("details", 0, 100)).hasErrors()).isFalse();
    ManagedChannel ch = channel("details");
    assertThat(callsServedBy(ch, null, 10)).containsOnlyKeys(V2);

    // a valid document that would move all traffic to v1, beside an invalid one: both rejected
    Diagnostics d = cp.apply(weighted("details", 100, 0) + "---\n"
        + weighted("details-bad", 100, 0).replace("weight: 0", "weight: abc"));
    assertThat(d.errors()).extracting(Diagnostic::toString).containsExactly(
        "VirtualService default/details-bad: spec.http[0].route[1].weight: 'abc'"
            + " (expected: an integer 0..100)");

    // an endpoint added after the rejection reaching this client proves it holds the newest
    // snapshot; the rejected routes would send everything to v1
    try (GrpcBackendExtension v2b = GrpcBackendExtension.on("127.0.0.4").port(v1.port()).build().start()) {
      ServiceEndpoint added = new ServiceEndpoint("details.default.svc.cluster.local",
          v1.port(), v2b.ip(), Map.of("version", "v2"));
      cp.register(added);
      await().atMost(Duration.ofSeconds(20))
          .until(() -> callsServedBy(ch, null, 10).containsKey(v2b.ip()));
      assertThat(callsServedBy(ch, null, 40)).containsOnlyKeys(V2, v2b.ip());
      cp.deregister(added);
    }
  }

  private ManagedChannel channel(String service) {
    ManagedChannel ch = xds.channel(service + ".default.svc.cluster.local:" + v1.port());
    channels.add(ch);
    return ch;
  }

  /** How many of {@code n} calls each backend served, sent as {@code user} (or no user). */
  private static Map<String, Integer> callsServedBy(ManagedChannel ch, String user, int n) {
    SimpleServiceGrpc.SimpleServiceBlockingStub stub = SimpleServiceGrpc.newBlockingStub(ch);
    if (user != null) {
      Metadata headers = new Metadata();
      headers.put(Metadata.Key.of("end-user", Metadata.ASCII_STRING_MARSHALLER), user);
      stub = stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }
    Map<String, Integer> served = new HashMap<>();
    for (int i = 0; i < n; i++) {
      String ip = stub.withWaitForReady().withDeadlineAfter(20, TimeUnit.SECONDS)
          .unaryRpc(SimpleRequest.getDefaultInstance()).getResponseMessage();
      served.merge(ip, 1, Integer::sum);
    }
    return served;
  }

  private static String weighted(String name, int w1, int w2) {
    String host = name.replace("-bad", "");
    return """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: %s}
        spec:
          hosts: [%s]
          http:
          - route:
            - destination: {host: %s, subset: v1}
              weight: %d
            - destination: {host: %s, subset: v2}
              weight: %d
        """.formatted(name, host, host, w1, host, w2);
  }
}
