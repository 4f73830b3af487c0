package io.inboard.mesh.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * VirtualService faults, enforced by grpc-xds clients of a mesh in xDS mode. Calls run
 * concurrently, so that delays overlap.
 *
 * <p>Connection-pool limits are not tested here: grpc-java 1.85 counts a cluster's requests in
 * flight only when the cluster names an LRS server, so {@code circuit_breakers.max_requests}
 * alone sheds nothing (ten concurrent slow calls against a limit of one all succeed).
 */
class XdsFaultTest {
  @RegisterExtension
  static final XdsTestBed bed = new XdsTestBed();

  @Test
  void abortsHalfTheCallsWithTheConfiguredGrpcStatus() throws Exception {
    bed.service("aborted").apply(faulty("aborted",
        "abort: {percentage: {value: 50}, grpcStatus: PERMISSION_DENIED}"));

    Map<Status.Code, Integer> codes = codes(calls(stub("aborted"), 400));

    // 400 calls at p = 0.5 have a standard deviation of 10 calls: 40 is 4 sigma
    assertThat(codes.getOrDefault(Status.Code.PERMISSION_DENIED, 0)).isBetween(160, 240);
    assertThat(codes).containsOnlyKeys(Status.Code.PERMISSION_DENIED, Status.Code.OK);
  }

  @Test
  void abortWithHttpStatusFailsWithItsGrpcEquivalent() throws Exception {
    bed.service("missing").apply(faulty("missing",
        "abort: {percentage: {value: 100}, httpStatus: 404}"));

    // gRPC's HTTP mapping: 404 is UNIMPLEMENTED
    assertThat(codes(calls(stub("missing"), 20))).containsOnlyKeys(Status.Code.UNIMPLEMENTED);
  }

  @Test
  void delaysHalfTheCallsByTheFixedDelay() throws Exception {
    bed.service("delayed").apply(faulty("delayed",
        "delay: {percentage: {value: 50}, fixedDelay: 1s}"));
    SimpleServiceGrpc.SimpleServiceFutureStub stub = stub("delayed");
    stub.unaryRpc(SimpleRequest.getDefaultInstance()).get(10, TimeUnit.SECONDS);

    long start = System.nanoTime();
    List<Long> doneAfterMillis = new ArrayList<>();
    for (ListenableFuture<SimpleResponse> f : calls(stub, 200)) {
      f.addListener(() -> {
        synchronized (doneAfterMillis) {
          doneAfterMillis.add((System.nanoTime() - start) / 1_000_000);
        }
      }, Runnable::run);
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> {
      synchronized (doneAfterMillis) {
        return doneAfterMillis.size() == 200;
      }
    });

    // undelayed calls finish within a few ms on loopback, delayed ones after 1000 ms;
    // 200 calls at p = 0.5 have a standard deviation of 7.1 calls: 28 is ~4 sigma
    long delayed = doneAfterMillis.stream().filter(ms -> ms >= 900).count();
    assertThat(delayed).isBetween(72L, 128L);
  }

  private static SimpleServiceGrpc.SimpleServiceFutureStub stub(String service) {
    return SimpleServiceGrpc.newFutureStub(bed.channel(service));
  }

  private static List<ListenableFuture<SimpleResponse>> calls(
      SimpleServiceGrpc.SimpleServiceFutureStub stub, int n) {
    List<ListenableFuture<SimpleResponse>> calls = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      calls.add(stub.withDeadlineAfter(20, TimeUnit.SECONDS)
          .unaryRpc(SimpleRequest.getDefaultInstance()));
    }
    return calls;
  }

  private static Map<Status.Code, Integer> codes(List<ListenableFuture<SimpleResponse>> calls)
      throws InterruptedException {
    Map<Status.Code, Integer> codes = new HashMap<>();
    for (ListenableFuture<SimpleResponse> call : calls) {
      Status.Code code;
      try {
        call.get();
        code = Status.Code.OK;
      } catch (ExecutionException e) {
        code = e.getCause() instanceof StatusRuntimeException s
            ? s.getStatus().getCode() : Status.Code.UNKNOWN;
      }
      codes.merge(code, 1, Integer::sum);
    }
    return codes;
  }

  private static String faulty(String service, String fault) {
    return """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: %1$s}
        spec:
          hosts: [%1$s]
          http:
          - route: [{destination: {host: %1$s}}]
            fault:
              %2$s
        """.formatted(service, fault);
  }
}
