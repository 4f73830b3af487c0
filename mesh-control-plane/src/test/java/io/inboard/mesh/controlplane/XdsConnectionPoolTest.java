package io.inboard.mesh.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import io.inboard.mesh.testing.GrpcBackendExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * DestinationRule connection-pool limits, enforced by grpc-xds clients of a mesh in xDS mode.
 * grpc-java counts a cluster's requests in flight only when the cluster reports load, so this
 * also proves that the control plane names itself as the LRS server and answers on it.
 */
class XdsConnectionPoolTest {
  static final String LIMITED = "127.0.0.10";
  @RegisterExtension
  final XdsTestBed bed = new XdsTestBed();
  GrpcBackendExtension backend;

  @AfterEach
  void stop() {
    if (backend != null) {
      backend.close();
    }
  }

  @Test
  void requestLimitOfOneRunsOneAndShedsTheRestWithUnavailableWhateverThePendingLimit()
      throws Exception {
    backend = GrpcBackendExtension.on(LIMITED).version("v1").build().start();
    bed.service("limited", backend).apply("""
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: limited}
        spec:
          host: limited
          trafficPolicy:
            connectionPool:
              http: {http2MaxRequests: 1, http1MaxPendingRequests: 1}
        """);
    SimpleServiceGrpc.SimpleServiceFutureStub stub =
        SimpleServiceGrpc.newFutureStub(bed.channel("limited", backend.port()));
    // with config and a ready connection in place, each call below is picked, and counted in
    // flight, as it starts; before that, queued calls would all be picked at once
    stub.unaryRpc(SimpleRequest.getDefaultInstance()).get(20, TimeUnit.SECONDS);
    backend.delay(Duration.ofSeconds(2));

    long start = System.nanoTime();
    Map<ListenableFuture<SimpleResponse>, Long> doneAfterMillis = new ConcurrentHashMap<>();
    List<ListenableFuture<SimpleResponse>> calls = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      ListenableFuture<SimpleResponse> call = stub.withDeadlineAfter(20, TimeUnit.SECONDS)
          .unaryRpc(SimpleRequest.getDefaultInstance());
      call.addListener(() -> doneAfterMillis.put(call,
          (System.nanoTime() - start) / 1_000_000), Runnable::run);
      calls.add(call);
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> doneAfterMillis.size() == 10);

    // the backend holds the one admitted call for 2 s, so the limit of 1 stays reached all
    // along: one call runs and the other nine are shed at once, not queued (as Envoy: the
    // pending limit bounds calls waiting for a connection, not calls over the request limit)
    List<ListenableFuture<SimpleResponse>> shed = new ArrayList<>();
    List<Long> okAfter = new ArrayList<>();
    for (ListenableFuture<SimpleResponse> call : calls) {
      if (status(call).getCode() == Status.Code.OK) {
        okAfter.add(doneAfterMillis.get(call));
      } else {
        shed.add(call);
        assertThat(status(call).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(status(call).getDescription())
            .contains("is overloaded", "||limited.", "1 call(s) in flight");
        // loopback answers in milliseconds; 1 s leaves room for a slow machine and stays
        // well below the 2 s the admitted call takes
        assertThat(doneAfterMillis.get(call)).isLessThan(1000);
      }
    }
    assertThat(shed).hasSize(9);
    assertThat(okAfter).hasSize(1);
    // the warm-up call and the admitted one
    assertThat(backend.calls()).isEqualTo(2);
  }

  private static Status status(ListenableFuture<SimpleResponse> call) throws InterruptedException {
    try {
      call.get();
      return Status.OK;
    } catch (ExecutionException e) {
      return e.getCause() instanceof StatusRuntimeException s ? s.getStatus()
          : Status.UNKNOWN.withCause(e.getCause());
    }
  }
}
