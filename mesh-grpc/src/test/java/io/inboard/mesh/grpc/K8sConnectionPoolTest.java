package io.inboard.mesh.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import io.inboard.mesh.api.ServiceUnavailableException;
import io.inboard.mesh.api.annotation.ConnectionPool;
import io.inboard.mesh.api.annotation.MeshClient;
import io.inboard.mesh.testing.GrpcBackendExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code @ConnectionPool} on a Kubernetes-mode gRPC client: one call in flight, the rest shed at
 * once with UNAVAILABLE and an OVERLOADED refusal as cause (as Envoy, over the request limit a
 * call does not wait, whatever the pending limit: that one bounds calls waiting for a connection).
 */
@Timeout(30)
class K8sConnectionPoolTest {

  @RegisterExtension
  final TestCluster cluster = new TestCluster();

  @MeshClient(TestCluster.TARGET)
  @ConnectionPool(maxRequests = 1, maxPendingRequests = 1)
  interface PooledClient {}

  @Test
  void oneInFlightTheRestShedAtOnce() throws Exception {
    GrpcBackendExtension backend = cluster.addPod("echo-a");
    var stub = MeshGrpc.newStub(cluster.mesh(), SimpleServiceGrpc::newFutureStub,
        PooledClient.class).withDeadlineAfter(20, TimeUnit.SECONDS);
    stub.unaryRpc(SimpleRequest.getDefaultInstance()).get(20, TimeUnit.SECONDS); // warm
    backend.delay(Duration.ofMillis(1000));

    long start = System.nanoTime();
    List<ListenableFuture<SimpleResponse>> calls = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      calls.add(stub.unaryRpc(SimpleRequest.getDefaultInstance()));
    }
    List<Status> shed = new ArrayList<>();
    for (ListenableFuture<SimpleResponse> c : calls) {
      Status s = status(c);
      if (s.getCode() != Status.Code.OK) {
        shed.add(s);
      }
    }
    long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertThat(shed).hasSize(4).allSatisfy(s -> {
      assertThat(s.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(s.getCause()).isInstanceOfSatisfying(ServiceUnavailableException.class,
          e -> assertThat(e.reason()).isEqualTo(ServiceUnavailableException.Reason.OVERLOADED));
    });
    // the one admitted call took its delay; nothing ran after it
    assertThat(tookMillis).isBetween(900L, 1900L);
    assertThat(backend.calls()).isEqualTo(2); // the warm-up and the one admitted
  }

  private static Status status(ListenableFuture<SimpleResponse> call) throws Exception {
    try {
      call.get(20, TimeUnit.SECONDS);
      return Status.OK;
    } catch (ExecutionException e) {
      return e.getCause() instanceof StatusRuntimeException s ? s.getStatus()
          : Status.UNKNOWN.withCause(e.getCause());
    }
  }
}
