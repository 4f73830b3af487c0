package io.inboard.mesh.grpc.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import io.inboard.mesh.api.inbound.InboundRequest.Protocol;
import io.inboard.mesh.api.internal.telemetry.PeerIdentity;
import io.inboard.mesh.api.internal.telemetry.RequestDetails;
import io.inboard.mesh.api.internal.telemetry.RequestReport;
import io.inboard.mesh.api.internal.telemetry.RequestReport.Reporter;
import io.inboard.mesh.api.policy.ClientPolicy;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The reports both sides of a real gRPC call make, field by field. */
class GrpcRequestReportTest {

  private static final int PREFIX = 5; // gRPC's per-message framing on the wire

  private TelemetryWorkloads w;

  @BeforeEach
  void start() throws Exception {
    w = new TelemetryWorkloads();
  }

  @AfterEach
  void stop() throws Exception {
    w.close();
  }

  @Test
  void unaryCall_clientAndServerReportEveryField() {
    w.clientTelemetry.captureHeaders(Set.of("end-user"));
    w.serverTelemetry.captureHeaders(Set.of("end-user"));
    ManagedChannel channel = w.channel(ClientPolicy.EMPTY);
    SimpleRequest request = SimpleRequest.newBuilder().setRequestMessage("hello reviews").build();
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("x-request-id", Metadata.ASCII_STRING_MARSHALLER), "r-1");
    headers.put(Metadata.Key.of("x-forwarded-for", Metadata.ASCII_STRING_MARSHALLER), "10.1.2.3");
    headers.put(Metadata.Key.of("end-user", Metadata.ASCII_STRING_MARSHALLER), "jason");
    long before = System.currentTimeMillis();

    SimpleResponse response = SimpleServiceGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
        .withDeadlineAfter(10, TimeUnit.SECONDS).unaryRpc(request);

    RequestReport client = w.clientTelemetry.awaitReport(Reporter.SOURCE);
    RequestReport server = w.serverTelemetry.awaitReport(Reporter.DESTINATION);
    long after = System.currentTimeMillis();
    int port = w.reviews.getPort();
    String fqdn = "reviews.default.svc.cluster.local";
    long requestBytes = request.getSerializedSize() + PREFIX;
    long responseBytes = response.getSerializedSize() + PREFIX;
    PeerIdentity productpage = PeerIdentity.of(w.clientMesh);
    PeerIdentity reviews = PeerIdentity.of(w.serverMesh);

    assertThat(client).usingRecursiveComparison()
        .ignoringFields("durationNanos", "details")
        .isEqualTo(RequestReport.builder(Reporter.SOURCE, Protocol.GRPC).source(productpage)
            .destination(reviews).destinationService(fqdn).responseCode(200).grpcStatus("0")
            .responseFlags("-").requestBytes(requestBytes).responseBytes(responseBytes)
            .security(null, null, false).requestMessages(1).responseMessages(1).build());
    assertThat(client.durationNanos()).isPositive();
    RequestDetails cd = client.details();
    assertThat(cd.startEpochMillis()).isBetween(before, after);
    assertThat(cd).usingRecursiveComparison()
        .ignoringFields("startEpochMillis", "userAgent", "upstreamLocalAddress",
            "upstreamServiceTimeMillis")
        .isEqualTo(RequestDetails.builder().method("POST")
            .path("/grpc.testing.SimpleService/UnaryRpc").protocolVersion("HTTP/2")
            .authority(fqdn + ":" + port).requestId("r-1").forwardedFor("10.1.2.3")
            .upstreamHost("127.0.0.1:" + port).upstreamCluster("outbound|" + port + "||" + fqdn)
            .responseCodeDetails("via_upstream").attempts(1)
            .headers(Map.of("end-user", "jason")).build());
    assertThat(cd.userAgent()).startsWith("grpc-java-netty/");
    assertThat(cd.upstreamLocalAddress()).startsWith("127.0.0.1:");
    assertThat(cd.upstreamServiceTimeMillis())
        .isBetween(0L, TimeUnit.NANOSECONDS.toMillis(client.durationNanos()));

    assertThat(server).usingRecursiveComparison()
        .ignoringFields("durationNanos", "details")
        .isEqualTo(RequestReport.builder(Reporter.DESTINATION, Protocol.GRPC).source(productpage)
            .destination(reviews).destinationService(fqdn).responseCode(200).grpcStatus("0")
            .responseFlags("-").requestBytes(requestBytes).responseBytes(responseBytes)
            .security(null, null, false).requestMessages(1).responseMessages(1).build());
    RequestDetails sd = server.details();
    assertThat(sd.startEpochMillis()).isBetween(before, after);
    assertThat(sd).usingRecursiveComparison().ignoringFields("startEpochMillis")
        .isEqualTo(RequestDetails.builder().method("POST")
            .path("/grpc.testing.SimpleService/UnaryRpc").protocolVersion("HTTP/2")
            .authority(fqdn + ":" + port).userAgent(cd.userAgent()).requestId("r-1")
            .forwardedFor("10.1.2.3").upstreamHost("127.0.0.1:" + port)
            .upstreamCluster("inbound|" + port + "||")
            .downstreamLocalAddress("127.0.0.1:" + port)
            .downstreamRemoteAddress(cd.upstreamLocalAddress())
            .responseCodeDetails("via_upstream").attempts(1)
            .headers(Map.of("end-user", "jason")).build());
  }

  @Test
  void bidiStream_reportsWireBytesAndMessageCountsOfEachDirection() throws Exception {
    ManagedChannel channel = w.channel(ClientPolicy.EMPTY);
    List<SimpleResponse> received = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> done = new CompletableFuture<>();
    StreamObserver<SimpleRequest> requests = SimpleServiceGrpc.newStub(channel)
        .bidiStreamingRpc(new StreamObserver<>() {
          @Override
          public void onNext(SimpleResponse r) {
            received.add(r);
          }

          @Override
          public void onError(Throwable t) {
            done.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {
            done.complete(null);
          }
        });
    List<SimpleRequest> sent = List.of(message("one"), message("three three"),
        message("a much longer fifth message"));
    sent.forEach(requests::onNext);
    requests.onCompleted();
    done.get(10, TimeUnit.SECONDS);

    long requestBytes = sent.stream().mapToLong(r -> r.getSerializedSize() + PREFIX).sum();
    long responseBytes = received.stream().mapToLong(r -> r.getSerializedSize() + PREFIX).sum();
    assertThat(received).hasSize(4);
    for (RequestReport r : List.of(w.clientTelemetry.awaitReport(Reporter.SOURCE),
        w.serverTelemetry.awaitReport(Reporter.DESTINATION))) {
      assertThat(r.requestMessages()).as(r.reporter() + " request messages").isEqualTo(3);
      assertThat(r.responseMessages()).as(r.reporter() + " response messages").isEqualTo(4);
      assertThat(r.requestBytes()).as(r.reporter() + " request bytes").isEqualTo(requestBytes);
      assertThat(r.responseBytes()).as(r.reporter() + " response bytes").isEqualTo(responseBytes);
      assertThat(r.details().path()).isEqualTo("/grpc.testing.SimpleService/BidiStreamingRpc");
    }
  }

  @Test
  void brokenTelemetry_neverCostsTheCallItsAnswer() {
    w.clientTelemetry.broken = true;
    w.serverTelemetry.broken = true;

    SimpleResponse response = SimpleServiceGrpc.newBlockingStub(w.channel(ClientPolicy.EMPTY))
        .withDeadlineAfter(10, TimeUnit.SECONDS).unaryRpc(message("still answered"));

    assertThat(response.getResponseMessage()).isEqualTo("still answered");
  }

  private static SimpleRequest message(String text) {
    return SimpleRequest.newBuilder().setRequestMessage(text).build();
  }
}
