package io.inboard.mesh.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import io.inboard.mesh.testing.GrpcBackendExtension;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** VirtualService timeout and retries, enforced by grpc-xds clients of a mesh in xDS mode. */
class XdsPolicyTest {
  static final String SCRIPTED = "127.0.0.4";
  @RegisterExtension
  static final XdsTestBed bed = new XdsTestBed();
  GrpcBackendExtension backend;

  @AfterEach
  void stopBackend() {
    backend.close();
  }

  @Test
  void routeTimeoutFailsSlowCallWithDeadlineExceeded() throws Exception {
    backend = GrpcBackendExtension.on(SCRIPTED).version("v1").build().start().delay(Duration.ofSeconds(5));
    bed.service("slow", backend).apply("""
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: slow}
        spec:
          hosts: [slow]
          http:
          - route: [{destination: {host: slow}}]
            timeout: 300ms
        """);
    SimpleServiceGrpc.SimpleServiceBlockingStub stub =
        SimpleServiceGrpc.newBlockingStub(bed.channel("slow", backend.port()));

    long start = System.nanoTime();
    assertThatThrownBy(() -> stub.unaryRpc(SimpleRequest.getDefaultInstance()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e ->
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
    // the backend answers after 5 s: failing before that proves the route's 300 ms applied
    // (the margin is wide because this first call also fetches the new route on a busy machine)
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(4500));
    assertThat(backend.calls()).isEqualTo(1);
  }

  @Test
  void retriesConfiguredCodeUpToConfiguredAttempts() throws Exception {
    backend = GrpcBackendExtension.on(SCRIPTED).version("v1").build().start().failWith(Status.UNAVAILABLE);
    bed.service("flaky", backend).apply(retrying("flaky", 3, "unavailable"));
    SimpleServiceGrpc.SimpleServiceBlockingStub stub =
        SimpleServiceGrpc.newBlockingStub(bed.channel("flaky", backend.port()));

    assertThatThrownBy(() -> stub.withDeadlineAfter(10, TimeUnit.SECONDS)
        .unaryRpc(SimpleRequest.getDefaultInstance()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e ->
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    // the first attempt and three retries
    assertThat(backend.calls()).isEqualTo(4);
  }

  @Test
  void doesNotRetryCodesNotConfigured() throws Exception {
    backend = GrpcBackendExtension.on(SCRIPTED).version("v1").build().start().failWith(Status.INTERNAL);
    bed.service("broken", backend).apply(retrying("broken", 3, "unavailable"));
    SimpleServiceGrpc.SimpleServiceBlockingStub stub =
        SimpleServiceGrpc.newBlockingStub(bed.channel("broken", backend.port()));

    assertThatThrownBy(() -> stub.withDeadlineAfter(10, TimeUnit.SECONDS)
        .unaryRpc(SimpleRequest.getDefaultInstance()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e ->
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL));
    assertThat(backend.calls()).isEqualTo(1);
  }

  private static String retrying(String service, int attempts, String retryOn) {
    return """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: %1$s}
        spec:
          hosts: [%1$s]
          http:
          - route: [{destination: {host: %1$s}}]
            retries: {attempts: %2$d, retryOn: %3$s}
        """.formatted(service, attempts, retryOn);
  }
}
