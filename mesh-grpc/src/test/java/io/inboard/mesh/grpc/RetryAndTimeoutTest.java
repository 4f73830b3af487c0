package io.inboard.mesh.grpc;

import static io.inboard.mesh.grpc.Calls.failure;
import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import io.inboard.mesh.api.annotation.MeshClient;
import io.inboard.mesh.api.annotation.Retry;
import io.inboard.mesh.api.annotation.Timeout;
import io.inboard.mesh.api.policy.ClientPolicy;
import io.inboard.mesh.api.policy.RetryOn;
import io.inboard.mesh.api.policy.RetryPolicy;
import io.inboard.mesh.testing.GrpcBackendExtension;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RetryAndTimeoutTest {

  @RegisterExtension
  final TestCluster cluster = new TestCluster();

  @MeshClient("echo:9080")
  @Retry(attempts = 3, retryOn = "unavailable", backoff = "1ms", maxBackoff = "5ms")
  interface RetryingClient {}

  @MeshClient("echo:9080")
  @Retry(attempts = 1, retryOn = "unavailable", backoff = "1ms", maxBackoff = "5ms")
  interface PerMethodClient {
    @Retry(attempts = 6, retryOn = "unavailable", backoff = "1ms", maxBackoff = "5ms")
    void unaryRpc();
  }

  @MeshClient("echo:9080")
  @Timeout("30s")
  interface SlowClient {
    @Timeout("200ms")
    void unaryRpc();
  }

  @Test
  void retriesStopAtConfiguredAttempts() {
    GrpcBackendExtension failing = cluster.addPod("echo-a").failWith(Status.UNAVAILABLE);
    var stub = MeshGrpc.newStub(cluster.mesh(), SimpleServiceGrpc::newBlockingStub,
        RetryingClient.class);

    var e = failure(() -> stub.unaryRpc(SimpleRequest.getDefaultInstance()));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(failing.calls()).isEqualTo(4); // the call plus 3 retries
  }

  @Test
  void methodRetryOverridesInterfaceAndMayExceedGrpcsDefaultCapOfFive() {
    GrpcBackendExtension failing = cluster.addPod("echo-a").failWith(Status.UNAVAILABLE);
    var stub = MeshGrpc.newStub(cluster.mesh(), SimpleServiceGrpc::newBlockingStub,
        PerMethodClient.class);

    failure(() -> stub.unaryRpc(SimpleRequest.getDefaultInstance()));

    assertThat(failing.calls()).isEqualTo(7);
  }

  @Test
  void builderRetryPolicyRetriesOnlyConfiguredStatuses() {
    GrpcBackendExtension failing = cluster.addPod("echo-a").failWith(Status.UNAVAILABLE);
    ManagedChannel ch = MeshChannels.forService(cluster.mesh(), TestCluster.TARGET)
        .policy(ClientPolicy.builder()
            .retry(RetryPolicy.of(2, Duration.ZERO, RetryOn.parse("internal")))
            .build())
        .build();

    failure(() -> Calls.call(ch));

    assertThat(failing.calls()).isEqualTo(1);
  }

  @Test
  void timeoutAnnotationEndsCallToSlowBackendWithDeadlineExceeded() {
    cluster.addPod("echo-a").hang(true);
    var stub = MeshGrpc.newStub(cluster.mesh(), SimpleServiceGrpc::newBlockingStub,
        SlowClient.class);

    var e = failure(() -> stub.unaryRpc(SimpleRequest.getDefaultInstance()));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    // The method's 200 ms, not the interface's 30 s, is the deadline gRPC enforced.
    assertThat(e.getStatus().getDescription()).containsPattern("exceeded after 0\\.[12]\\d*s");
  }

  @Test
  void policyTimeoutEndsCallAndShorterCallerDeadlineStillWins() {
    cluster.addPod("echo-a").hang(true);
    ManagedChannel ch = MeshChannels.forService(cluster.mesh(), TestCluster.TARGET)
        .policy(ClientPolicy.builder().timeout(Duration.ofMillis(300)).build())
        .build();

    var byPolicy = failure(() -> SimpleServiceGrpc.newBlockingStub(ch)
        .unaryRpc(SimpleRequest.getDefaultInstance()));
    var byCaller = failure(() -> SimpleServiceGrpc.newBlockingStub(ch)
        .withDeadlineAfter(50, TimeUnit.MILLISECONDS)
        .unaryRpc(SimpleRequest.getDefaultInstance()));

    assertThat(byPolicy.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(byCaller.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    // gRPC names the deadline it enforced: ~0.3 s from the policy, ~0.05 s from the caller.
    assertThat(byPolicy.getStatus().getDescription()).containsPattern("exceeded after 0\\.[23]\\d*s");
    assertThat(byCaller.getStatus().getDescription()).containsPattern("exceeded after 0\\.0\\d*s");
  }
}
