package io.inboard.mesh.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.grpc.MeshChannels;
import io.inboard.mesh.testing.GrpcBackendExtension;
import io.inboard.mesh.testing.LoopbackPorts;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The first call waits for the control plane's config, up to a bound, then says what is missing. */
class XdsStartupTest {
  static final String BACKEND = "127.0.0.2";
  static final String FQDN = "reviews.default.svc.cluster.local";

  Mesh mesh;
  ControlPlane cp;
  GrpcBackendExtension backend;

  @AfterEach
  void stop() {
    mesh.close();
    if (cp != null) {
      cp.close();
    }
    if (backend != null) {
      backend.close();
    }
  }

  @Test
  void firstCallWaitsForControlPlaneThatStartsLater() throws Exception {
    int xdsPort = LoopbackPorts.free();
    backend = GrpcBackendExtension.on(BACKEND).build().start();
    // grpc-xds reconnects to an unreachable control plane with backoff (about 3 s here); the
    // bound is generous for loaded machines: the point is that the call waits, then succeeds.
    mesh = mesh(Duration.ofSeconds(60), "127.0.0.1:" + xdsPort);
    ListenableFuture<SimpleResponse> first = SimpleServiceGrpc.newFutureStub(
            MeshChannels.forService(mesh, "reviews:" + backend.port()).build())
        .withDeadlineAfter(90, TimeUnit.SECONDS).unaryRpc(SimpleRequest.getDefaultInstance());

    // grpc-xds alone fails this call at once: its ADS stream to a closed port errors out
    cp = ControlPlane.builder().xdsPort(xdsPort).adminPort(0).start();
    cp.register(new ServiceEndpoint(FQDN, backend.port(), BACKEND, Map.of()));

    // strict: any error here reached the caller, which the start-up wait must prevent
    SimpleResponse answer = first.get(90, TimeUnit.SECONDS);
    assertThat(answer.getResponseMessage()).isEqualTo(BACKEND);
  }

  @Test
  void firstCallFailsNamingTheListenerWhenNoControlPlaneAnswersWithinBound() {
    int xdsPort = LoopbackPorts.free();
    mesh = mesh(Duration.ofSeconds(1), "127.0.0.1:" + xdsPort);
    SimpleServiceGrpc.SimpleServiceBlockingStub stub = SimpleServiceGrpc.newBlockingStub(
        MeshChannels.forService(mesh, "reviews:9080").build());

    long start = System.nanoTime();
    assertThatThrownBy(() -> stub.unaryRpc(SimpleRequest.getDefaultInstance()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
          assertThat(e.getStatus().getDescription()).startsWith("xDS listener '" + FQDN
              + ":9080' (or the routes and clusters it names) not received from control plane"
              + " 127.0.0.1:" + xdsPort + " within 1s");
        });
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(900));
  }

  @Test
  void firstCallFailsWithinBoundWhenControlPlaneHasNoSuchListener() throws Exception {
    cp = ControlPlane.builder().xdsPort(0).start();
    mesh = mesh(Duration.ofSeconds(1), cp.xdsAddress());
    SimpleServiceGrpc.SimpleServiceBlockingStub stub = SimpleServiceGrpc.newBlockingStub(
        MeshChannels.forService(mesh, "unknown:9080").build());

    long start = System.nanoTime();
    // grpc-xds alone would hold the call for 15 s before calling the listener missing
    assertThatThrownBy(() -> stub.unaryRpc(SimpleRequest.getDefaultInstance()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
          assertThat(e.getStatus().getDescription()).startsWith("xDS listener"
              + " 'unknown.default.svc.cluster.local:9080' (or the routes and clusters it names)"
              + " not received from control plane " + cp.xdsAddress() + " within 1s");
        });
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  private static Mesh mesh(Duration bound, String... controlPlanes) {
    return Mesh.builder().workloadName("productpage-v1").namespace("default")
        .instanceIps("127.0.0.1").initialConfigTimeout(bound)
        .controlPlane(controlPlanes).build();
  }
}
