package io.inboard.mesh.grpc.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import io.inboard.mesh.api.inbound.InboundDecision;
import io.inboard.mesh.api.internal.telemetry.PeerIdentity;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GrpcInboundHookTest {

  private static final String TRACEPARENT =
      "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

  private TwoTierFixture fx;

  @AfterEach
  void close() {
    if (fx != null) {
      fx.close();
    }
  }

  @Test
  void outboundCallWhileServing_carriesRequestIdTraceparentAndEndUser() throws Exception {
    fx = new TwoTierFixture(List.of());
    call("r-1", "jason");

    assertThat(fx.backendHeader("x-request-id")).isEqualTo("r-1");
    // the same trace: the ids of the spans between (with tracing on) may differ
    assertThat(fx.backendHeader("traceparent")).startsWith(TRACEPARENT.substring(0, 36));
    assertThat(fx.backendHeader("end-user")).isEqualTo("jason");
    assertThat(fx.backendHeader("x-inboard-peer"))
        .isEqualTo(PeerIdentity.of(fx.frontMesh).toHeader())
        .startsWith("productpage-v1;default;productpage;v1;productpage;v1;");
  }

  @Test
  void requestWithoutId_getsGeneratedIdPropagated_andNextRequestGetsItsOwn() throws Exception {
    fx = new TwoTierFixture(List.of());
    call(null, "jason");
    String first = fx.backendHeader("x-request-id");
    call(null, null);

    assertThat(first).hasSize(36);
    assertThat(fx.backendHeader("x-request-id")).hasSize(36).isNotEqualTo(first);
    // The second request had no end-user: nothing leaks from the first.
    assertThat(fx.backendHeader("end-user")).isNull();
  }

  @Test
  void bothSides_reportIstioRequestsTotalWithPeerLabels() throws Exception {
    fx = new TwoTierFixture(List.of());
    call("r-1", "jason");
    call("r-2", "jason");

    String labels = "source_workload=\"productpage-v1\"";
    await().untilAsserted(() -> {
      assertThat(series(TwoTierFixture.scrape(fx.frontMesh), "reporter=\"source\"", labels))
          .contains("destination_workload=\"reviews-v1\"", "destination_app=\"reviews\"",
              "destination_service=\"reviews.default.svc.cluster.local\"",
              "request_protocol=\"grpc\"", "grpc_response_status=\"0\"",
              "response_code=\"200\"")
          .endsWith(" 2.0");
      assertThat(series(TwoTierFixture.scrape(fx.backMesh), "reporter=\"destination\"", labels))
          .contains("source_app=\"productpage\"", "destination_workload=\"reviews-v1\"",
              "destination_service_name=\"reviews\"", "connection_security_policy=\"none\"")
          .endsWith(" 2.0");
    });
    // productpage's own inbound calls come from a plain client: the source is unknown.
    assertThat(series(TwoTierFixture.scrape(fx.frontMesh), "reporter=\"destination\"",
        "source_workload=\"unknown\"")).contains("destination_workload=\"productpage-v1\"")
        .endsWith(" 2.0");
  }

  @Test
  void refusingGuard_endsCallWithPermissionDenied_andCountsIt() throws Exception {
    fx = new TwoTierFixture(List.of(req -> req.header("end-user") != null
        && req.header("end-user").equals("mallory")
        ? InboundDecision.deny("RBAC: access denied") : InboundDecision.ALLOW));

    assertThatThrownBy(() -> call("r-1", "mallory"))
        .isInstanceOf(StatusRuntimeException.class).hasMessageContaining("RBAC: access denied");
    assertThat(fx.backendSaw.get()).isNull();
    assertThat(series(TwoTierFixture.scrape(fx.backMesh), "reporter=\"destination\"",
        "grpc_response_status=\"7\"")).endsWith(" 1.0");
  }

  private void call(String requestId, String user) {
    Metadata h = new Metadata();
    if (requestId != null) {
      h.put(Metadata.Key.of("x-request-id", Metadata.ASCII_STRING_MARSHALLER), requestId);
    }
    if (user != null) {
      h.put(Metadata.Key.of("end-user", Metadata.ASCII_STRING_MARSHALLER), user);
    }
    h.put(Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER), TRACEPARENT);
    SimpleServiceGrpc.newBlockingStub(fx.toFront)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(h))
        .unaryRpc(SimpleRequest.newBuilder().setRequestMessage("hi").build());
  }

  private static String series(String scrape, String... contains) {
    return scrape.lines().filter(l -> l.startsWith("istio_requests_total{"))
        .filter(l -> List.of(contains).stream().allMatch(l::contains)).findFirst()
        .orElseThrow(() -> new AssertionError("no istio_requests_total with "
            + List.of(contains) + " in:\n" + scrape));
  }
}
