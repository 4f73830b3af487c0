package io.inboard.mesh.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.annotation.MeshClient;
import io.inboard.mesh.api.annotation.Timeout;
import io.inboard.mesh.grpc.MeshGrpc;
import io.inboard.mesh.testing.GrpcBackendExtension;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An annotated stub on a mesh in xDS mode: the control plane routes it, and its {@code @Timeout}
 * still bounds calls that set no deadline (grpc-xds ignores a channel's default service config).
 */
class XdsAnnotatedStubTest {
  /** A fixed port, because {@code @MeshClient} needs a constant; 127.0.0.5 is this test's own. */
  static final int PORT = 19080;
  static final String IP = "127.0.0.5";

  @MeshClient("ratings:" + PORT)
  @Timeout("300ms")
  interface RatingsClient {}

  @Test
  void annotatedStubIsRoutedByControlPlaneAndBoundedByItsTimeout() throws Exception {
    try (ControlPlane cp = ControlPlane.builder().xdsPort(0).start();
        GrpcBackendExtension backend = GrpcBackendExtension.on(IP).port(PORT).build().start();
        Mesh mesh = Mesh.builder().workloadName("reviews-v2").namespace("default")
            .instanceIps("127.0.0.1").controlPlane(cp.xdsAddress()).build()) {
      cp.register(new ServiceEndpoint("ratings.default.svc.cluster.local", PORT, IP, Map.of()));
      SimpleServiceGrpc.SimpleServiceBlockingStub stub =
          MeshGrpc.newStub(mesh, SimpleServiceGrpc::newBlockingStub, RatingsClient.class);

      // the first call waits for config within its deadline, and a cold JVM takes longer than
      // 300 ms for that: a deadline of the caller's own replaces the annotated default
      assertThat(stub.withDeadlineAfter(20, TimeUnit.SECONDS)
          .unaryRpc(SimpleRequest.getDefaultInstance()).getResponseMessage()).isEqualTo(IP);

      backend.delay(Duration.ofSeconds(5));
      long start = System.nanoTime();
      assertThatThrownBy(() -> stub.unaryRpc(SimpleRequest.getDefaultInstance()))
          .isInstanceOfSatisfying(StatusRuntimeException.class, e ->
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }
  }
}
