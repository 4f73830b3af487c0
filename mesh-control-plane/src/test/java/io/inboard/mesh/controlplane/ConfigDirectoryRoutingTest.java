package io.inboard.mesh.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import io.inboard.mesh.grpc.XdsChannels;
import io.inboard.mesh.testing.GrpcBackendExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Local mode end to end: a YAML file dropped into the config directory reaches a client. */
class ConfigDirectoryRoutingTest {
  static final String FQDN = "reviews.default.svc.cluster.local";

  @Test
  void fileDroppedIntoConfigDirectoryRoutesRunningClientToV2(@TempDir Path dir)
      throws Exception {
    try (ControlPlane cp = ControlPlane.builder().xdsPort(0).configDirectory(dir)
            .configPollInterval(Duration.ofMillis(100)).start();
        GrpcBackendExtension v1 = GrpcBackendExtension.on("127.0.0.12").build().start();
        GrpcBackendExtension v2 = GrpcBackendExtension.on("127.0.0.13").port(v1.port()).build().start();
        XdsChannels xds = XdsChannels.forControlPlane(cp.xdsAddress()).build()) {
      cp.register(new ServiceEndpoint(FQDN, v1.port(), v1.ip(), Map.of("version", "v1")));
      cp.register(new ServiceEndpoint(FQDN, v1.port(), v2.ip(), Map.of("version", "v2")));
      ManagedChannel ch = xds.channel(FQDN + ":" + v1.port());
      try {
        await().atMost(Duration.ofSeconds(20))
            .until(() -> callsServedBy(ch, 10).keySet().equals(Set.of(v1.ip(), v2.ip())));

        Files.writeString(dir.resolve("reviews.yaml"), """
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: reviews}
            spec:
              host: reviews
              subsets:
              - {name: v1, labels: {version: v1}}
              - {name: v2, labels: {version: v2}}
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews}
            spec:
              hosts: [reviews]
              http:
              - route: [{destination: {host: reviews, subset: v2}}]
            """);

        await().atMost(Duration.ofSeconds(20))
            .until(() -> callsServedBy(ch, 10).keySet().equals(Set.of(v2.ip())));
        assertThat(callsServedBy(ch, 40)).containsOnlyKeys(v2.ip());
        assertThat(cp.diagnostics().all()).isEmpty();
      } finally {
        ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  /** How many of {@code n} calls each backend served. */
  private static Map<String, Integer> callsServedBy(ManagedChannel ch, int n) {
    SimpleServiceGrpc.SimpleServiceBlockingStub stub = SimpleServiceGrpc.newBlockingStub(ch);
    Map<String, Integer> served = new HashMap<>();
    for (int i = 0; i < n; i++) {
      String ip = stub.withWaitForReady().withDeadlineAfter(20, TimeUnit.SECONDS)
          .unaryRpc(SimpleRequest.getDefaultInstance()).getResponseMessage();
      served.merge(ip, 1, Integer::sum);
    }
    return served;
  }
}
