package io.inboard.mesh.grpc.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import io.inboard.mesh.api.discovery.Endpoint;
import io.inboard.mesh.api.internal.telemetry.RequestReport;
import io.inboard.mesh.api.internal.telemetry.RequestReport.Reporter;
import io.inboard.mesh.api.policy.CircuitBreakerPolicy;
import io.inboard.mesh.api.policy.ClientPolicy;
import io.inboard.mesh.api.policy.RetryOn;
import io.inboard.mesh.api.policy.RetryPolicy;
import io.inboard.mesh.grpc.MeshChannels;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Envoy's response flags on real failures of a mesh channel in Kubernetes mode (and of the
 * server's hook), each with the response code and gRPC status it is reported with, and the
 * health counters it drives.
 */
class GrpcResponseFlagsTest {

  private static final String FQDN = "reviews.default.svc.cluster.local";

  private TelemetryWorkloads w;
  private String cluster;

  @BeforeEach
  void start() throws Exception {
    w = new TelemetryWorkloads();
    cluster = "outbound|" + w.reviews.getPort() + "||" + FQDN;
  }

  @AfterEach
  void stop() throws Exception {
    w.close();
  }

  @Test
  void serviceWithoutReadyEndpoints_isUH_withoutResponse() {
    w.discovery.put(TelemetryWorkloads.REVIEWS, List.of());

    fail(w.channel(ClientPolicy.EMPTY), "hi", Status.Code.UNAVAILABLE);

    RequestReport r = w.clientTelemetry.awaitReport(Reporter.SOURCE);
    assertFlags(r, "UH", 0, "14");
    assertThat(r.details().upstreamHost()).isEmpty();
    assertThat(r.requestBytes()).isZero();
  }

  @Test
  void unknownService_isNR() {
    ManagedChannel ratings = MeshChannels.forService(w.clientMesh, "ratings:9080").build();

    fail(ratings, "hi", Status.Code.UNAVAILABLE);

    RequestReport r = w.clientTelemetry.awaitReport(Reporter.SOURCE);
    assertFlags(r, "NR", 0, "14");
    assertThat(r.details().upstreamCluster()).isEqualTo("outbound|9080||ratings.default.svc.cluster.local");
  }

  @Test
  void endpointRefusingConnections_isUF() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      closed = s.getLocalPort();
    }
    w.discovery.put(TelemetryWorkloads.REVIEWS, List.of(Endpoint.ready("127.0.0.1", closed)));

    fail(w.channel(ClientPolicy.EMPTY), "hi", Status.Code.UNAVAILABLE);

    RequestReport r = w.clientTelemetry.awaitReport(Reporter.SOURCE);
    assertFlags(r, "UF", 0, "14");
    assertThat(r.details().attempts()).isEqualTo(1);
    assertThat(r.details().upstreamTransportFailureReason()).contains("Connection refused");
  }

  @Test
  void deadlineBeforeAnyResponse_isUTOnTheClient_DCOnTheServer_andCountsATimeout() {
    ManagedChannel channel = w.channel(ClientPolicy.builder()
        .timeout(Duration.ofMillis(300)).build());

    fail(channel, "hang", Status.Code.DEADLINE_EXCEEDED);

    RequestReport client = w.clientTelemetry.awaitReport(Reporter.SOURCE);
    assertFlags(client, "UT", 0, "4");
    assertThat(client.details().upstreamHost()).isEqualTo(w.reviewsAddress());
    assertThat(w.clientTelemetry.health).containsExactly("TIMEOUT " + cluster);
    RequestReport server = w.serverTelemetry.awaitReport(Reporter.DESTINATION);
    assertFlags(server, "DC", 0, "1");
  }

  @Test
  void retriesExhaustedOnUnavailable_isURX_withTheServersResponse_andCountsRetries() {
    ManagedChannel channel = w.channel(ClientPolicy.builder().retry(RetryPolicy.builder()
        .attempts(2).retryOn(RetryOn.parse("unavailable")).baseBackoff(Duration.ofMillis(1))
        .build()).build());

    fail(channel, "unavailable", Status.Code.UNAVAILABLE);

    RequestReport r = w.clientTelemetry.awaitReport(Reporter.SOURCE);
    assertFlags(r, "URX", 200, "14");
    assertThat(r.details().attempts()).isEqualTo(3);
    assertThat(w.reviewsCalls).hasValue(3);
    assertThat(w.clientTelemetry.health).containsExactlyInAnyOrder("RETRY " + cluster,
        "RETRY " + cluster, "RETRY_LIMIT_EXCEEDED " + cluster);
    // each answer came from the server: no flag on the server side
    w.serverTelemetry.awaitReports(Reporter.DESTINATION, 3)
        .forEach(s -> assertFlags(s, "-", 200, "14"));
  }

  @Test
  void retryThatSucceeds_hasNoFlag_butCountsTheRetry() {
    ManagedChannel channel = w.channel(ClientPolicy.builder().retry(RetryPolicy.builder()
        .attempts(2).retryOn(RetryOn.parse("unavailable")).baseBackoff(Duration.ofMillis(1))
        .build()).build());
    w.flakyFailures.set(1);

    SimpleServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
        .unaryRpc(SimpleRequest.newBuilder().setRequestMessage("flaky").build());

    RequestReport r = w.clientTelemetry.awaitReport(Reporter.SOURCE);
    assertFlags(r, "-", 200, "0");
    assertThat(r.details().attempts()).isEqualTo(2);
    assertThat(w.clientTelemetry.health).containsExactly("RETRY " + cluster);
  }

  @Test
  void openCircuitBreaker_isUO_andCountsAnOverflow() {
    ManagedChannel channel = w.channel(ClientPolicy.builder().circuitBreaker(
        CircuitBreakerPolicy.builder().failureRateThreshold(50).slidingWindowSize(2)
            .minimumNumberOfCalls(2).waitDurationInOpenState(Duration.ofMinutes(1)).build())
        .build());
    fail(channel, "unavailable", Status.Code.UNAVAILABLE);
    fail(channel, "unavailable", Status.Code.UNAVAILABLE);

    fail(channel, "hi", Status.Code.UNAVAILABLE);

    RequestReport shed = w.clientTelemetry.awaitReports(Reporter.SOURCE, 3).get(2);
    assertFlags(shed, "UO", 0, "14");
    assertThat(shed.details().attempts()).isZero();
    assertThat(w.clientTelemetry.health).containsExactly("OVERFLOW " + cluster);
    assertThat(w.reviewsCalls).hasValue(2);
  }

  @Test
  void clientCancelling_isDC_onBothSides() {
    ManagedChannel channel = w.channel(ClientPolicy.EMPTY);
    ClientCall<SimpleRequest, SimpleResponse> call =
        channel.newCall(SimpleServiceGrpc.getUnaryRpcMethod(), CallOptions.DEFAULT);
    call.start(new ClientCall.Listener<>() {}, new Metadata());
    call.sendMessage(SimpleRequest.newBuilder().setRequestMessage("hang").build());
    call.halfClose();
    call.request(1);
    await().until(() -> !w.hanging.isEmpty());

    call.cancel("the user went away", null);

    assertFlags(w.clientTelemetry.awaitReport(Reporter.SOURCE), "DC", 0, "1");
    assertFlags(w.serverTelemetry.awaitReport(Reporter.DESTINATION), "DC", 0, "1");
  }

  @Test
  void serverResettingTheStream_isUR() {
    hangingCall(w.channel(ClientPolicy.EMPTY));

    w.reviews.shutdownNow(); // grpc-netty resets each open stream (RST_STREAM CANCEL)

    assertFlags(w.clientTelemetry.awaitReport(Reporter.SOURCE), "UR", 0, "1");
  }

  @Test
  void connectionLostWithTheCallOnIt_isUC() throws Exception {
    TcpRelay relay = w.own(new TcpRelay(w.reviews.getPort()));
    w.discovery.put(TelemetryWorkloads.REVIEWS, List.of(Endpoint.ready("127.0.0.1",
        relay.port())));
    hangingCall(w.channel(ClientPolicy.EMPTY));

    relay.cut();

    RequestReport r = w.clientTelemetry.awaitReport(Reporter.SOURCE);
    assertFlags(r, "UC", 0, "14");
    assertThat(r.details().upstreamHost()).isEqualTo("127.0.0.1:" + relay.port());
  }

  private void hangingCall(ManagedChannel channel) {
    SimpleServiceGrpc.newStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS).unaryRpc(
        SimpleRequest.newBuilder().setRequestMessage("hang").build(), new StreamObserver<>() {
          @Override
          public void onNext(SimpleResponse r) {}

          @Override
          public void onError(Throwable t) {}

          @Override
          public void onCompleted() {}
        });
    await().until(() -> !w.hanging.isEmpty());
  }

  private static void assertFlags(RequestReport r, String flags, int code, String grpcStatus) {
    assertThat(List.of(r.responseFlags(), r.responseCode(), r.grpcStatus()))
        .as(r.reporter() + " flags, response code, grpc status")
        .containsExactly(flags, code, grpcStatus);
  }

  private static void fail(ManagedChannel channel, String message, Status.Code expected) {
    assertThatThrownBy(() -> SimpleServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .unaryRpc(SimpleRequest.newBuilder().setRequestMessage(message).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(expected));
  }
}
