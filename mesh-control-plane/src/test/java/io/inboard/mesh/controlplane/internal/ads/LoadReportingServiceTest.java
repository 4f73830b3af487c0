package io.inboard.mesh.controlplane.internal.ads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.envoyproxy.controlplane.server.DiscoveryServerCallbacks;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterStats;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.load_stats.v3.LoadReportingServiceGrpc;
import io.envoyproxy.envoy.service.load_stats.v3.LoadStatsRequest;
import io.envoyproxy.envoy.service.load_stats.v3.LoadStatsResponse;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The LRS service on the ADS port, spoken to as grpc-xds speaks it. */
class LoadReportingServiceTest {
  AdsServer ads;
  ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    ads = new AdsServer("127.0.0.1", 0, new DiscoveryServerCallbacks() {
      @Override
      public void onV3StreamRequest(long streamId, DiscoveryRequest request) {}

      @Override
      public void onV3StreamDeltaRequest(long streamId, DeltaDiscoveryRequest request) {}
    });
    channel = Grpc.newChannelBuilderForAddress("127.0.0.1", ads.port(),
        InsecureChannelCredentials.create()).build();
  }

  @AfterEach
  void stop() throws InterruptedException {
    channel.shutdownNow();
    ads.close();
  }

  @Test
  void asksForAllClustersAndKeepsLatestReportWhileStreamIsOpen() {
    List<LoadStatsResponse> responses = new CopyOnWriteArrayList<>();
    StreamObserver<LoadStatsRequest> requests = LoadReportingServiceGrpc.newStub(channel)
        .streamLoadStats(new StreamObserver<>() {
          @Override
          public void onNext(LoadStatsResponse r) {
            responses.add(r);
          }

          @Override
          public void onError(Throwable t) {}

          @Override
          public void onCompleted() {}
        });

    // grpc-xds opens with the node and no stats, then reports at the interval it was given
    requests.onNext(LoadStatsRequest.newBuilder()
        .setNode(Node.newBuilder().setId("client-1")).build());
    await().atMost(Duration.ofSeconds(10)).until(() -> !responses.isEmpty());
    assertThat(responses.get(0).getSendAllClusters()).isTrue();
    assertThat(responses.get(0).getLoadReportingInterval().getSeconds()).isEqualTo(10);

    requests.onNext(report("outbound|9080||a", 7));
    requests.onNext(report("outbound|9080||a", 9));
    await().atMost(Duration.ofSeconds(10)).until(() -> ads.loadReports().latestReports()
        .getOrDefault("client-1", List.of()).stream()
        .anyMatch(s -> s.getTotalDroppedRequests() == 9));
    assertThat(responses).hasSize(1);

    requests.onCompleted();
    await().atMost(Duration.ofSeconds(10))
        .until(() -> ads.loadReports().latestReports().isEmpty());
  }

  private static LoadStatsRequest report(String cluster, long dropped) {
    return LoadStatsRequest.newBuilder().addClusterStats(ClusterStats.newBuilder()
        .setClusterName(cluster).setTotalDroppedRequests(dropped)).build();
  }
}
