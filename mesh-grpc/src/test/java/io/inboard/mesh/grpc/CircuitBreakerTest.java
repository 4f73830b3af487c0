package io.inboard.mesh.grpc;

import static io.inboard.mesh.grpc.Calls.call;
import static io.inboard.mesh.grpc.Calls.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.StateTransition;
import io.grpc.Status;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.ServiceName;
import io.inboard.mesh.api.annotation.CircuitBreaker;
import io.inboard.mesh.api.annotation.MeshClient;
import io.inboard.mesh.api.discovery.StaticDiscovery;
import io.inboard.mesh.testing.GrpcBackendExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CircuitBreakerTest {

  @RegisterExtension
  final TestCluster cluster = new TestCluster();

  @MeshClient("echo:9080")
  @CircuitBreaker(failureRateThreshold = 50, slidingWindowSize = 4, minimumNumberOfCalls = 4,
      waitDurationInOpenState = "300ms", permittedCallsInHalfOpenState = 2)
  interface GuardedClient {}

  @Test
  void opensOnFailuresFailsFastThenHalfOpensAndClosesAsConfigured() {
    GrpcBackendExtension backend = cluster.addPod("echo-a").failWith(Status.UNAVAILABLE);
    var stub = MeshGrpc.newStub(cluster.mesh(), SimpleServiceGrpc::newBlockingStub,
        GuardedClient.class);
    var breaker = MeshGrpc.circuitBreaker(cluster.mesh(), ServiceName.of("echo", "default"))
        .orElseThrow();
    List<StateTransition> transitions = new CopyOnWriteArrayList<>();
    breaker.getEventPublisher().onStateTransition(e -> transitions.add(e.getStateTransition()));

    for (int i = 0; i < 4; i++) {
      failure(() -> stub.unaryRpc(SimpleRequest.getDefaultInstance()));
    }
    assertThat(transitions).containsExactly(StateTransition.CLOSED_TO_OPEN);

    var open = failure(() -> stub.unaryRpc(SimpleRequest.getDefaultInstance()));
    assertThat(open.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(open.getStatus().getDescription())
        .isEqualTo("service 'echo' in namespace 'default' is unavailable: circuit breaker is open");
    assertThat(backend.calls()).isEqualTo(4);

    backend.failWith(null);
    // After 300 ms the next call is let through as a trial: the breaker half-opens.
    await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
        .until(() -> stub.unaryRpc(SimpleRequest.getDefaultInstance()) != null);
    assertThat(breaker.getState()).isEqualTo(State.HALF_OPEN);
    stub.unaryRpc(SimpleRequest.getDefaultInstance());

    assertThat(transitions).containsExactly(StateTransition.CLOSED_TO_OPEN,
        StateTransition.OPEN_TO_HALF_OPEN, StateTransition.HALF_OPEN_TO_CLOSED);
  }

  @Test
  void failedTrialCallsReopenTheCircuit() {
    cluster.addPod("echo-a").failWith(Status.UNAVAILABLE);
    var stub = MeshGrpc.newStub(cluster.mesh(), SimpleServiceGrpc::newBlockingStub,
        GuardedClient.class);
    var breaker = MeshGrpc.circuitBreaker(cluster.mesh(), ServiceName.of("echo", "default", 9080))
        .orElseThrow();
    List<StateTransition> transitions = new CopyOnWriteArrayList<>();
    breaker.getEventPublisher().onStateTransition(e -> transitions.add(e.getStateTransition()));
    for (int i = 0; i < 4; i++) {
      failure(() -> stub.unaryRpc(SimpleRequest.getDefaultInstance()));
    }

    await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(50)).until(() -> {
      failure(() -> stub.unaryRpc(SimpleRequest.getDefaultInstance()));
      return transitions.contains(StateTransition.HALF_OPEN_TO_OPEN);
    });
    assertThat(transitions).startsWith(StateTransition.CLOSED_TO_OPEN,
        StateTransition.OPEN_TO_HALF_OPEN, StateTransition.HALF_OPEN_TO_OPEN);
  }

  @Test
  void eachMeshHasItsOwnBreakerAndNoneWithoutPolicy() {
    cluster.addPod("echo-a");
    call(MeshChannels.forService(cluster.mesh(), TestCluster.TARGET).build());

    assertThat(MeshGrpc.circuitBreaker(cluster.mesh(), ServiceName.of("echo", "default")))
        .isEmpty();
    try (TestCluster other = new TestCluster().start()) {
      MeshGrpc.newStub(other.mesh(), SimpleServiceGrpc::newBlockingStub, GuardedClient.class);
      assertThat(MeshGrpc.circuitBreaker(other.mesh(), ServiceName.of("echo", "default")))
          .isPresent();
      assertThat(MeshGrpc.circuitBreaker(cluster.mesh(), ServiceName.of("echo", "default")))
          .isEmpty();
    }
  }

  @Test
  void closingTheMeshReleasesItsBreakers_nextMeshGetsAFreshOne() {
    Mesh mesh = staticMesh();
    MeshGrpc.newStub(mesh, SimpleServiceGrpc::newBlockingStub, GuardedClient.class);
    var breaker = MeshGrpc.circuitBreaker(mesh, ECHO).orElseThrow();
    breaker.transitionToOpenState();

    mesh.close();

    assertThat(MeshGrpc.circuitBreaker(mesh, ECHO)).isEmpty();
    try (Mesh next = staticMesh()) {
      MeshGrpc.newStub(next, SimpleServiceGrpc::newBlockingStub, GuardedClient.class);
      var fresh = MeshGrpc.circuitBreaker(next, ECHO).orElseThrow();
      assertThat(fresh).isNotSameAs(breaker);
      assertThat(fresh.getState()).isEqualTo(State.CLOSED);
    }
  }

  private static final ServiceName ECHO = ServiceName.of("echo", "default");

  private static Mesh staticMesh() {
    return Mesh.builder().workloadName("client-v1").namespace("default")
        .discovery(new StaticDiscovery()).build();
  }
}
