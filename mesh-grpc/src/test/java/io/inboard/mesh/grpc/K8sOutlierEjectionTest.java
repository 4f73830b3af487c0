package io.inboard.mesh.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import io.inboard.mesh.api.annotation.MeshClient;
import io.inboard.mesh.api.annotation.OutlierDetection;
import io.inboard.mesh.testing.GrpcBackendExtension;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code @OutlierDetection} on a Kubernetes-mode gRPC client: the channel's service config puts
 * round robin under Inboard's cluster policy, so a pod failing in a row is ejected as over xDS.
 */
@Timeout(60)
class K8sOutlierEjectionTest {

  @RegisterExtension
  final TestCluster cluster = new TestCluster();

  @MeshClient(TestCluster.TARGET)
  @OutlierDetection(consecutive5xxErrors = 2, maxEjectionPercent = 50, interval = "1s",
      baseEjectionTime = "30s")
  interface EjectingClient {}

  @Test
  void aPodFailingTwiceInARowIsEjected_andCallsGoToTheOtherOne() {
    GrpcBackendExtension good = cluster.addPod("echo-a");
    GrpcBackendExtension bad = cluster.addPod("echo-b");
    bad.failWith(Status.INTERNAL);
    var stub = MeshGrpc.newStub(cluster.mesh(), SimpleServiceGrpc::newBlockingStub,
        EjectingClient.class);

    // until round robin has sent the failing pod its two calls (both pods resolved by then)
    await().atMost(Duration.ofSeconds(20)).pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(10)).until(() -> {
          call(stub);
          return bad.calls() >= 2;
        });
    int goodBefore = good.calls();
    int failures = 0;
    for (int i = 0; i < 10; i++) {
      failures += call(stub) ? 0 : 1;
    }

    assertThat(failures).isZero();
    assertThat(bad.calls()).isEqualTo(2);
    assertThat(good.calls() - goodBefore).isEqualTo(10);
  }

  private static boolean call(SimpleServiceGrpc.SimpleServiceBlockingStub stub) {
    try {
      stub.withDeadlineAfter(5, TimeUnit.SECONDS).unaryRpc(SimpleRequest.getDefaultInstance());
      return true;
    } catch (StatusRuntimeException e) {
      return false;
    }
  }
}
