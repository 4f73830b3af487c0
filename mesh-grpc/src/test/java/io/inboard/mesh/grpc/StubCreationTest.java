package io.inboard.mesh.grpc;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.testing.protobuf.SimpleServiceGrpc;
import io.inboard.mesh.api.annotation.CircuitBreaker;
import io.inboard.mesh.api.annotation.LoadBalancer;
import io.inboard.mesh.api.annotation.MeshClient;
import io.inboard.mesh.api.annotation.Retry;
import io.inboard.mesh.api.annotation.Timeout;
import io.inboard.mesh.api.policy.ClientPolicy;
import io.inboard.mesh.api.policy.LoadBalancerPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class StubCreationTest {

  @RegisterExtension
  final TestCluster cluster = new TestCluster();

  @MeshClient("echo:9080")
  @Timeout("soon")
  interface BadTimeout {}

  @MeshClient("echo:9080")
  @Retry(attempts = -1)
  interface NegativeRetries {}

  @MeshClient("echo:9080")
  @LoadBalancer(LoadBalancerPolicy.Simple.Kind.LEAST_REQUEST)
  interface LeastRequest {}

  @MeshClient("echo:9080")
  @Retry(attempts = 2, retryOn = "retriable-4xx")
  interface NoGrpcRetryCondition {}

  @MeshClient("echo:9080")
  interface UnknownRpc {
    @Timeout("1s")
    void fetchEverything();
  }

  @MeshClient("echo:9080")
  interface MethodBreaker {
    @CircuitBreaker
    void unaryRpc();
  }

  interface NotAClient {}

  @Test
  void invalidTimeoutFailsAtStubCreation() {
    assertThatThrownBy(() -> newStub(BadTimeout.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("@Timeout.value: 'soon' (expected: a duration");
  }

  @Test
  void negativeRetryAttemptsFailAtStubCreation() {
    assertThatThrownBy(() -> newStub(NegativeRetries.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("retries.attempts: -1 (expected: >= 0)");
  }

  @Test
  void leastRequestFailsAtStubCreation() {
    assertThatThrownBy(() -> newStub(LeastRequest.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("loadBalancer: LEAST_REQUEST (expected: ROUND_ROBIN or PICK_FIRST for gRPC)");
  }

  @Test
  void consistentHashFailsAtChannelCreation() {
    var policy = ClientPolicy.builder().loadBalancer(new LoadBalancerPolicy.ConsistentHash(
        new LoadBalancerPolicy.HashKey.Header("x-user"), 1024)).build();

    assertThatThrownBy(() -> MeshChannels.forService(cluster.mesh(), TestCluster.TARGET)
        .policy(policy).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("loadBalancer: ConsistentHash")
        .hasMessageEndingWith("(expected: ROUND_ROBIN or PICK_FIRST for gRPC)");
  }

  @Test
  void retryConditionGrpcCannotSeeFailsAtStubCreation() {
    assertThatThrownBy(() -> newStub(NoGrpcRetryCondition.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("retry.retryOn: 'retriable-4xx' (expected: at least one");
  }

  @Test
  void methodNamingNoRpcFailsAtStubCreation() {
    assertThatThrownBy(() -> newStub(UnknownRpc.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("UnknownRpc.fetchEverything: no such RPC in grpc.testing.SimpleService")
        .hasMessageContaining("unaryRpc");
  }

  @Test
  void methodLevelCircuitBreakerFailsAtStubCreation() {
    assertThatThrownBy(() -> newStub(MethodBreaker.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("MethodBreaker.unaryRpc @CircuitBreaker: on a method (expected: on the interface");
  }

  @Test
  void interfaceWithoutMeshClientFailsAtStubCreation() {
    assertThatThrownBy(() -> newStub(NotAClient.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no @MeshClient (expected:");
  }

  @Test
  void closedMeshRefusesNewChannels() {
    cluster.mesh().close();

    assertThatThrownBy(() -> MeshChannels.forService(cluster.mesh(), TestCluster.TARGET).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is closed");
  }

  private Object newStub(Class<?> clientType) {
    return MeshGrpc.newStub(cluster.mesh(), SimpleServiceGrpc::newBlockingStub, clientType);
  }
}
