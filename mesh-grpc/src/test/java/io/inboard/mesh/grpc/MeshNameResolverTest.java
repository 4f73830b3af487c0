package io.inboard.mesh.grpc;

import static io.inboard.mesh.grpc.Calls.call;
import static io.inboard.mesh.grpc.Calls.failure;
import static io.inboard.mesh.grpc.Calls.spread;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.inboard.mesh.api.policy.ClientPolicy;
import io.inboard.mesh.api.policy.LoadBalancerPolicy;
import io.inboard.mesh.testing.GrpcBackendExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class MeshNameResolverTest {

  @RegisterExtension
  final TestCluster cluster = new TestCluster();

  @Test
  void roundRobinSpreadsCallsOverAllReadyEndpointsOnly() {
    GrpcBackendExtension a = cluster.addPod("echo-a");
    GrpcBackendExtension b = cluster.addPod("echo-b");
    GrpcBackendExtension c = cluster.addPod("echo-c");
    GrpcBackendExtension notReady = cluster.addPod("echo-d", false);
    ManagedChannel ch = MeshChannels.forService(cluster.mesh(), TestCluster.TARGET).build();

    // Round robin is exact once every subchannel is READY; wait for that, then count.
    await().atMost(Duration.ofSeconds(5))
        .until(() -> spread(ch, 30).keySet().size() == 3);
    // Tolerance: none; round robin over 3 ready subchannels gives 10 each for 30 calls.
    assertThat(spread(ch, 30)).containsOnlyKeys(a.ip(), b.ip(), c.ip())
        .allSatisfy((ip, n) -> assertThat(n).isEqualTo(10));
    assertThat(notReady.calls()).isZero();
  }

  @Test
  void pickFirstSticksToOneEndpoint() {
    cluster.addPod("echo-a");
    cluster.addPod("echo-b");
    cluster.addPod("echo-c");
    ManagedChannel ch = MeshChannels.forService(cluster.mesh(), TestCluster.TARGET)
        .policy(ClientPolicy.builder()
            .loadBalancer(new LoadBalancerPolicy.Simple(LoadBalancerPolicy.Simple.Kind.PICK_FIRST))
            .build())
        .build();

    assertThat(spread(ch, 30)).hasSize(1);
  }

  @Test
  void scalingUpAndDownIsSeenWithinOneSecond() throws Exception {
    GrpcBackendExtension a = cluster.addPod("echo-a");
    ManagedChannel ch = MeshChannels.forService(cluster.mesh(), TestCluster.TARGET).build();
    assertThat(call(ch)).isEqualTo(a.ip());

    GrpcBackendExtension b = cluster.addPod("echo-b");
    await().atMost(Duration.ofSeconds(1)).until(() -> spread(ch, 4).containsKey(b.ip()));

    cluster.deletePod("echo-a");
    await().atMost(Duration.ofSeconds(1)).until(() -> !spread(ch, 4).containsKey(a.ip()));
    // The deleted pod's server still runs: it gets nothing only because the client dropped it.
    int before = a.calls();
    spread(ch, 10);
    assertThat(a.calls()).isEqualTo(before);
  }

  @Test
  void unknownServiceFailsUnavailableNamingServiceAndNamespace() {
    ManagedChannel ch = MeshChannels.forService(cluster.mesh(), "nosuch:9080").build();

    var e = failure(() -> call(ch));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(e.getStatus().getDescription())
        .contains("service 'nosuch' in namespace 'default'").contains("not found");
  }

  @Test
  void unknownNamespaceFailsUnavailableNamingServiceAndNamespace() {
    ManagedChannel ch = MeshChannels.forService(cluster.mesh(), "echo.nowhere:9080").build();

    var e = failure(() -> call(ch));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(e.getStatus().getDescription())
        .contains("service 'echo' in namespace 'nowhere'").contains("not found");
  }

  @Test
  void serviceWithoutReadyEndpointsFailsUnavailable() {
    cluster.addPod("echo-a", false);
    ManagedChannel ch = MeshChannels.forService(cluster.mesh(), TestCluster.TARGET).build();

    var e = failure(() -> call(ch));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(e.getStatus().getDescription())
        .isEqualTo("service 'echo' in namespace 'default' has no ready endpoints");
  }

  @Test
  void scalingToZeroFailsCallsAlthoughOldConnectionsStayOpen() {
    cluster.addPod("echo-a");
    ManagedChannel ch = MeshChannels.forService(cluster.mesh(), TestCluster.TARGET).build();
    call(ch);

    cluster.setReady("echo-a", false);

    await().atMost(Duration.ofSeconds(1)).untilAsserted(() ->
        assertThat(failure(() -> call(ch)).getStatus().getDescription())
            .isEqualTo("service 'echo' in namespace 'default' has no ready endpoints"));
    cluster.setReady("echo-a", true);
    await().atMost(Duration.ofSeconds(1)).ignoreExceptions().until(() -> call(ch) != null);
  }

  @Test
  void handBuiltChannelResolvesThroughMeshArgument() {
    GrpcBackendExtension a = cluster.addPod("echo-a");
    ManagedChannel ch = Grpc.newChannelBuilder("k8s:///echo:9080", InsecureChannelCredentials.create())
        .setNameResolverArg(MeshNameResolverProvider.MESH, cluster.mesh())
        .build();
    try {
      assertThat(call(ch)).isEqualTo(a.ip());
    } finally {
      ch.shutdownNow();
    }
  }

  @Test
  void handBuiltChannelWithoutMeshFailsSayingSo() {
    ManagedChannel ch = Grpc.newChannelBuilder("k8s:///echo:9080", InsecureChannelCredentials.create())
        .build();
    try {
      var e = failure(() -> call(ch));
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(e.getStatus().getDescription()).contains("has no mesh");
    } finally {
      ch.shutdownNow();
    }
  }
}
