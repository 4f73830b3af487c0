package io.inboard.mesh.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import io.inboard.mesh.testing.GrpcBackendExtension;
import io.inboard.mesh.testing.LoopbackPorts;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * DestinationRule outlier detection, enforced by grpc-xds clients of a mesh in xDS mode through
 * Inboard's consecutive-error LB policy (see {@code GrpcOutlierDetection}).
 */
class XdsOutlierDetectionTest {
  static final String FQDN = "ejecting.default.svc.cluster.local";
  final int port = LoopbackPorts.free();
  @RegisterExtension
  final XdsTestBed bed = new XdsTestBed();
  @RegisterExtension
  final GrpcBackendExtension failing = GrpcBackendExtension.on("127.0.0.11").port(port).build();
  @RegisterExtension
  final GrpcBackendExtension healthyA = GrpcBackendExtension.on("127.0.0.12").port(port).build();
  @RegisterExtension
  final GrpcBackendExtension healthyB = GrpcBackendExtension.on("127.0.0.13").port(port).build();

  @BeforeEach
  void start() {
    failing.failWith(Status.UNAVAILABLE);
    for (GrpcBackendExtension b : List.of(failing, healthyA, healthyB)) {
      bed.cp.register(new ServiceEndpoint(FQDN, b.port(), b.ip(), Map.of("app", "ejecting")));
    }
  }

  @Test
  void ejectedEndpointReceivesNoTraffic() {
    Diagnostics applied = bed.cp.apply("""
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: ejecting}
        spec:
          host: ejecting
          trafficPolicy:
            outlierDetection:
              consecutive5xxErrors: 3
              interval: 1s
              baseEjectionTime: 30s
              maxEjectionPercent: 100
        """);
    // consecutive-error ejection is what gRPC clients enforce too: nothing to warn about
    assertThat(applied.hasErrors()).isFalse();
    assertThat(applied.warnings()).isEmpty();
    SimpleServiceGrpc.SimpleServiceBlockingStub stub =
        SimpleServiceGrpc.newBlockingStub(bed.channel("ejecting", failing.port()));

    // round robin gives the failing endpoint 3 of every 9 calls until it is ejected, which
    // happens as soon as it failed 3 calls in a row
    await().atMost(Duration.ofSeconds(20)).until(() -> {
      int before = failing.calls();
      calls(stub, 9);
      return failing.calls() == before;
    });
    int failingBefore = failing.calls();
    int healthyABefore = healthyA.calls();
    int healthyBBefore = healthyB.calls();

    int failed = calls(stub, 100);

    assertThat(failed).isZero();
    assertThat(failing.calls()).isEqualTo(failingBefore);
    // round robin over the two left alternates, so 50 each; 5 either way allows for a
    // subchannel that reconnects, not for a third endpoint
    assertThat(healthyA.calls() - healthyABefore).isBetween(45, 55);
    assertThat(healthyB.calls() - healthyBBefore).isBetween(45, 55);
  }

  /** Makes {@code n} calls one after the other and returns how many failed. */
  private static int calls(SimpleServiceGrpc.SimpleServiceBlockingStub stub, int n) {
    int failed = 0;
    for (int i = 0; i < n; i++) {
      try {
        stub.withDeadlineAfter(10, TimeUnit.SECONDS).unaryRpc(SimpleRequest.getDefaultInstance());
      } catch (StatusRuntimeException e) {
        failed++;
      }
    }
    return failed;
  }
}
