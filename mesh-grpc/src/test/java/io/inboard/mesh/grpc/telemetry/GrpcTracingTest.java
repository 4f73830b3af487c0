package io.inboard.mesh.grpc.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import io.inboard.mesh.api.inbound.InboundDecision;
import io.inboard.mesh.api.internal.telemetry.RequestReport.Reporter;
import io.inboard.mesh.api.policy.ClientPolicy;
import io.inboard.mesh.api.policy.RetryOn;
import io.inboard.mesh.api.policy.RetryPolicy;
import io.inboard.mesh.grpc.MeshGrpc;
import io.inboard.mesh.grpc.telemetry.RecordingTelemetry.Span;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Spans around real calls: a SERVER span per inbound call whose context outbound calls
 * continue, a CALL span per outbound call and an ATTEMPT span per attempt, whose trace headers
 * are the ones on the wire.
 */
class GrpcTracingTest {

  private static final String UNARY = "grpc.testing.SimpleService/UnaryRpc";

  private TelemetryWorkloads w;

  @AfterEach
  void stop() throws Exception {
    if (w != null) {
      w.close();
    }
  }

  @Test
  void retriedCall_hasOneAttemptSpanPerAttempt_underTheCallSpan_eachParentOfAServerSpan()
      throws Exception {
    w = new TelemetryWorkloads();
    ManagedChannel channel = w.channel(ClientPolicy.builder().retry(RetryPolicy.builder()
        .attempts(2).retryOn(RetryOn.parse("unavailable")).baseBackoff(Duration.ofMillis(1))
        .build()).build());

    assertThatThrownBy(() -> SimpleServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .unaryRpc(SimpleRequest.newBuilder().setRequestMessage("unavailable").build()))
        .isInstanceOf(StatusRuntimeException.class);

    var report = w.clientTelemetry.awaitReport(Reporter.SOURCE);
    await().until(() -> w.serverTelemetry.spans("SERVER").stream().filter(Span::ended).count()
        == 3);
    Span call = single(w.clientTelemetry.spans("CALL"));
    assertThat(call.name).isEqualTo(UNARY);
    assertThat(call.parentId).as("a call outside any request starts a trace").isNull();
    assertThat(call.report).isSameAs(report);
    List<Span> attempts = w.clientTelemetry.spans("ATTEMPT");
    assertThat(attempts).extracting(a -> a.attempt).containsExactly(1, 2, 3);
    assertThat(attempts).allSatisfy(a -> {
      assertThat(a.parentId).isEqualTo(call.spanId);
      assertThat(a.traceId).isEqualTo(call.traceId);
      assertThat(a.outcome).isEqualTo("200 14 - " + w.reviewsAddress());
    });
    List<Span> served = w.serverTelemetry.spans("SERVER");
    assertThat(served).extracting(s -> s.parentId)
        .containsExactlyInAnyOrderElementsOf(RecordingTelemetry.ids(attempts));
    assertThat(served).allSatisfy(s -> {
      assertThat(s.name).isEqualTo(UNARY);
      assertThat(s.traceId).isEqualTo(call.traceId);
      assertThat(s.report.grpcStatus()).isEqualTo("14");
    });
  }

  @Test
  void serverSpanContext_isWhatOutboundCallsContinue() throws Exception {
    w = new TelemetryWorkloads();
    ManagedChannel toReviews = w.channel(ClientPolicy.EMPTY);
    Server front = MeshGrpc.serverBuilder(w.clientMesh, new InetSocketAddress("127.0.0.1", 0))
        .addService(new SimpleServiceGrpc.SimpleServiceImplBase() {
          @Override
          public void unaryRpc(SimpleRequest req, StreamObserver<SimpleResponse> out) {
            out.onNext(SimpleServiceGrpc.newBlockingStub(toReviews)
                .withDeadlineAfter(10, TimeUnit.SECONDS).unaryRpc(req));
            out.onCompleted();
          }
        }).build().start();
    w.own(front::shutdownNow);
    ManagedChannel plain = ManagedChannelBuilder.forAddress("127.0.0.1", front.getPort())
        .usePlaintext().build();
    w.own(plain::shutdownNow);
    String traceId = RecordingTelemetry.hex(32);
    String callerSpan = RecordingTelemetry.hex(16);
    Metadata h = new Metadata();
    h.put(Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER),
        "00-" + traceId + "-" + callerSpan + "-01");

    SimpleServiceGrpc.newBlockingStub(plain)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(h))
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .unaryRpc(SimpleRequest.newBuilder().setRequestMessage("hi").build());

    await().until(() -> w.clientTelemetry.spans("SERVER").stream().allMatch(Span::ended)
        && w.serverTelemetry.spans("SERVER").stream().anyMatch(Span::ended));
    Span frontSpan = single(w.clientTelemetry.spans("SERVER"));
    Span call = single(w.clientTelemetry.spans("CALL"));
    Span attempt = single(w.clientTelemetry.spans("ATTEMPT"));
    Span reviewsSpan = single(w.serverTelemetry.spans("SERVER"));
    assertThat(frontSpan.parentId).isEqualTo(callerSpan);
    assertThat(call.parentId).isEqualTo(frontSpan.spanId);
    assertThat(attempt.parentId).isEqualTo(call.spanId);
    assertThat(reviewsSpan.parentId).isEqualTo(attempt.spanId);
    assertThat(List.of(frontSpan.traceId, call.traceId, attempt.traceId, reviewsSpan.traceId))
        .containsOnly(traceId);
    assertThat(frontSpan.report.reporter()).isEqualTo(Reporter.DESTINATION);
  }

  @Test
  void deniedCall_isTracedAndTheSpanEndsWithItsReport() throws Exception {
    w = new TelemetryWorkloads(List.of(req -> InboundDecision.deny("RBAC: access denied")));

    assertThatThrownBy(() -> SimpleServiceGrpc.newBlockingStub(w.channel(ClientPolicy.EMPTY))
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .unaryRpc(SimpleRequest.newBuilder().setRequestMessage("hi").build()))
        .isInstanceOf(StatusRuntimeException.class);

    var report = w.serverTelemetry.awaitReport(Reporter.DESTINATION);
    Span served = single(w.serverTelemetry.spans("SERVER"));
    assertThat(served.report).isSameAs(report);
    assertThat(report.grpcStatus()).isEqualTo("7");
    assertThat(served.parentId).isEqualTo(single(w.clientTelemetry.spans("ATTEMPT")).spanId);
  }

  private static Span single(List<Span> spans) {
    assertThat(spans).hasSize(1);
    return spans.get(0);
  }
}
