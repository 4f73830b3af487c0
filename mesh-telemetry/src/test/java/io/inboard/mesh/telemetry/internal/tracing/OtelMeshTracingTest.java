package io.inboard.mesh.telemetry.internal.tracing;

import static io.inboard.mesh.telemetry.internal.tracing.TracingFixtures.ANY_COLLECTOR;
import static io.inboard.mesh.telemetry.internal.tracing.TracingFixtures.PRODUCTPAGE;
import static io.inboard.mesh.telemetry.internal.tracing.TracingFixtures.REVIEWS;
import static io.inboard.mesh.telemetry.internal.tracing.TracingFixtures.clientReport;
import static io.inboard.mesh.telemetry.internal.tracing.TracingFixtures.httpClientDetails;
import static io.inboard.mesh.telemetry.internal.tracing.TracingFixtures.httpServerDetails;
import static io.inboard.mesh.telemetry.internal.tracing.TracingFixtures.policy;
import static io.inboard.mesh.telemetry.internal.tracing.TracingFixtures.serverReport;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.inboard.mesh.api.context.RequestContext;
import io.inboard.mesh.api.inbound.InboundRequest.Protocol;
import io.inboard.mesh.api.internal.telemetry.MeshTracing.Attempt;
import io.inboard.mesh.api.internal.telemetry.MeshTracing.CallSpan;
import io.inboard.mesh.api.internal.telemetry.MeshTracing.ServerSpan;
import io.inboard.mesh.api.internal.telemetry.PeerIdentity;
import io.inboard.mesh.api.internal.telemetry.policy.TelemetryPolicy;
import io.inboard.mesh.api.internal.telemetry.policy.TracingRules;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OtelMeshTracingTest {

  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String SPAN = "00f067aa0ba902b7";

  private final InMemorySpanExporter memory = InMemorySpanExporter.create();
  private final AtomicInteger exportersMade = new AtomicInteger();
  private final List<OtelMeshTracing> opened = new ArrayList<>();

  @AfterEach
  void close() {
    opened.forEach(OtelMeshTracing::close);
  }

  private OtelMeshTracing tracing(PeerIdentity self, TelemetryPolicy policy) {
    return tracing(self, policy, Map.of());
  }

  private OtelMeshTracing tracing(PeerIdentity self, TelemetryPolicy policy,
      Map<String, String> env) {
    OtelMeshTracing t = new OtelMeshTracing(self, env::get, collectors -> {
      exportersMade.incrementAndGet();
      return memory;
    }, Duration.ofMillis(20));
    opened.add(t);
    t.configure(policy);
    return t;
  }

  private static RequestContext inbound(Map<String, String> traceHeaders) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("x-request-id", "rid-1");
    h.putAll(traceHeaders);
    h.put("end-user", "jason");
    return new RequestContext(h, "spiffe://cluster.local/ns/default/sa/productpage");
  }

  private List<SpanData> awaitSpans(int count) {
    await().atMost(Duration.ofSeconds(10))
        .until(() -> memory.getFinishedSpanItems().size() >= count);
    return memory.getFinishedSpanItems();
  }

  private static SpanData only(List<SpanData> spans, String service, SpanKind kind) {
    List<SpanData> found = spans.stream().filter(s -> s.getKind() == kind && service.equals(
        s.getResource().getAttribute(AttributeKey.stringKey("service.name")))).toList();
    assertThat(found).as("%s %s spans", service, kind).hasSize(1);
    return found.get(0);
  }

  private static Map<String, String> injected(Attempt attempt) {
    Map<String, String> headers = new LinkedHashMap<>();
    attempt.inject(headers::put);
    return headers;
  }

  @Test
  void twoHops_serverCallAttemptsAndNextServerFormOneTrace() {
    OtelMeshTracing front = tracing(PRODUCTPAGE, policy(100, 100, List.of(ANY_COLLECTOR)));
    OtelMeshTracing back = tracing(REVIEWS, policy(0, 0, List.of(ANY_COLLECTOR)));

    ServerSpan server = front.startServer("GET", Protocol.HTTP, inbound(Map.of()));
    CallSpan call = front.startCall("GET", Protocol.HTTP, server.context());
    Attempt first = call.startAttempt(1);
    Map<String, String> firstHeaders = injected(first);
    first.end(503, "", "-", "127.0.0.1:9081", null);
    Attempt second = call.startAttempt(2);
    Map<String, String> wire = injected(second);
    Map<String, String> next = new LinkedHashMap<>(wire);
    next.put("x-request-id", "rid-1");
    ServerSpan nextServer = back.startServer("GET", Protocol.HTTP, new RequestContext(next));
    nextServer.end(serverReport(Protocol.HTTP, 200, "", httpServerDetails()));
    second.end(200, "", "-", "127.0.0.1:9080", null);
    call.end(clientReport(Protocol.HTTP, 200, "", httpClientDetails()));
    server.end(serverReport(Protocol.HTTP, 200, "", httpServerDetails()));

    List<SpanData> spans = awaitSpans(5);
    SpanData root = only(spans, "productpage.default", SpanKind.SERVER);
    SpanData callSpan = only(spans, "productpage.default", SpanKind.INTERNAL);
    List<SpanData> attempts = spans.stream().filter(s -> s.getKind() == SpanKind.CLIENT)
        .toList();
    SpanData downstream = only(spans, "reviews.default", SpanKind.SERVER);
    assertThat(spans).extracting(SpanData::getTraceId).containsOnly(root.getTraceId());
    assertThat(root.getParentSpanContext().isValid()).isFalse();
    assertThat(callSpan.getParentSpanId()).isEqualTo(root.getSpanId());
    assertThat(attempts).hasSize(2).allSatisfy(
        a -> assertThat(a.getParentSpanId()).isEqualTo(callSpan.getSpanId()));
    SpanData secondSpan = attempts.stream()
        .filter(a -> a.getSpanId().equals(wire.get("x-b3-spanid"))).findFirst().orElseThrow();
    // The backend samples nothing itself: the caller's decision carried the trace across.
    assertThat(downstream.getParentSpanId()).isEqualTo(secondSpan.getSpanId());
    assertThat(firstHeaders.get("x-b3-spanid")).isNotEqualTo(wire.get("x-b3-spanid"));
    assertThat(wire).containsExactly(
        Map.entry("traceparent",
            "00-" + root.getTraceId() + "-" + secondSpan.getSpanId() + "-01"),
        Map.entry("x-b3-traceid", root.getTraceId()),
        Map.entry("x-b3-spanid", secondSpan.getSpanId()),
        Map.entry("x-b3-parentspanid", callSpan.getSpanId()),
        Map.entry("x-b3-sampled", "1"));
  }

  @Test
  void startServer_contextPointsAtServerSpanAndKeepsOtherHeaders() {
    OtelMeshTracing t = tracing(REVIEWS, policy(0, 0, List.of(ANY_COLLECTOR)));
    Map<String, String> incoming = new LinkedHashMap<>();
    incoming.put("traceparent", "00-" + TRACE + "-" + SPAN + "-01");
    incoming.put("tracestate", "congo=t61rcWkgMzE");
    incoming.put("b3", TRACE + "-" + SPAN + "-1");
    incoming.put("x-b3-flags", "1");

    ServerSpan span = t.startServer("GET", Protocol.HTTP, inbound(incoming));
    span.end(serverReport(Protocol.HTTP, 200, "", httpServerDetails()));

    SpanData recorded = awaitSpans(1).get(0);
    RequestContext ctx = span.context();
    assertThat(recorded.getTraceId()).isEqualTo(TRACE);
    assertThat(recorded.getParentSpanId()).isEqualTo(SPAN);
    assertThat(ctx.headers()).containsExactly(
        Map.entry("x-request-id", "rid-1"),
        Map.entry("traceparent", "00-" + TRACE + "-" + recorded.getSpanId() + "-01"),
        Map.entry("tracestate", "congo=t61rcWkgMzE"),
        Map.entry("x-b3-traceid", TRACE),
        Map.entry("x-b3-spanid", recorded.getSpanId()),
        Map.entry("x-b3-parentspanid", SPAN),
        Map.entry("x-b3-sampled", "1"),
        Map.entry("end-user", "jason"));
    assertThat(ctx.peerPrincipal()).isEqualTo("spiffe://cluster.local/ns/default/sa/productpage");
  }

  @Test
  void zeroRate_propagatesUnsampledIdsAndRecordsNothing() {
    OtelMeshTracing t = tracing(REVIEWS, policy(0, 0, List.of(ANY_COLLECTOR)));

    ServerSpan unsampled = t.startServer("GET", Protocol.HTTP, inbound(Map.of()));
    CallSpan call = t.startCall("GET", Protocol.HTTP, unsampled.context());
    Attempt attempt = call.startAttempt(1);
    Map<String, String> wire = injected(attempt);
    attempt.end(200, "", "-", "127.0.0.1:9080", null);
    call.end(clientReport(Protocol.HTTP, 200, "", httpClientDetails()));
    unsampled.end(serverReport(Protocol.HTTP, 200, "", httpServerDetails()));
    // A sampled request after it: once it is exported, the unsampled ones would have been.
    ServerSpan marker = t.startServer("GET", Protocol.HTTP,
        inbound(Map.of("traceparent", "00-" + TRACE + "-" + SPAN + "-01")));
    marker.end(serverReport(Protocol.HTTP, 200, "", httpServerDetails()));

    List<SpanData> spans = awaitSpans(1);
    assertThat(spans).extracting(SpanData::getTraceId).containsExactly(TRACE);
    RequestContext ctx = unsampled.context();
    String traceId = ctx.header("x-b3-traceid");
    assertThat(ctx.header("traceparent")).matches("00-" + traceId + "-[0-9a-f]{16}-00");
    assertThat(ctx.header("x-b3-sampled")).isEqualTo("0");
    assertThat(ctx.header("x-b3-parentspanid")).isNull();
    assertThat(wire.get("x-b3-traceid")).isEqualTo(traceId);
    assertThat(wire.get("x-b3-sampled")).isEqualTo("0");
    assertThat(wire.get("traceparent")).endsWith("-00");
    assertThat(wire.get("x-b3-spanid")).isNotEqualTo(ctx.header("x-b3-spanid"));
  }

  @Test
  void incomingDecisionWins_sampledOverZeroRate() {
    OtelMeshTracing t = tracing(REVIEWS, policy(0, 0, List.of(ANY_COLLECTOR)));

    t.startServer("GET", Protocol.HTTP, inbound(Map.of("x-b3-traceid", TRACE,
        "x-b3-spanid", SPAN, "x-b3-sampled", "1")))
        .end(serverReport(Protocol.HTTP, 200, "", httpServerDetails()));
    t.startServer("GET", Protocol.HTTP, inbound(Map.of("b3", "1")))
        .end(serverReport(Protocol.HTTP, 200, "", httpServerDetails()));
    t.startServer("GET", Protocol.HTTP, inbound(Map.of("x-b3-traceid", TRACE,
        "x-b3-spanid", SPAN, "x-b3-flags", "1")))
        .end(serverReport(Protocol.HTTP, 200, "", httpServerDetails()));

    List<SpanData> spans = awaitSpans(3);
    assertThat(spans).hasSize(3);
    assertThat(spans.get(0).getParentSpanId()).isEqualTo(SPAN);
    assertThat(spans.get(1).getParentSpanContext().isValid()).isFalse();
  }

  @Test
  void incomingDecisionWins_unsampledOverFullRate() {
    OtelMeshTracing t = tracing(REVIEWS, policy(100, 100, List.of(ANY_COLLECTOR)));

    ServerSpan w3c = t.startServer("GET", Protocol.HTTP,
        inbound(Map.of("traceparent", "00-" + TRACE + "-" + SPAN + "-00")));
    w3c.end(serverReport(Protocol.HTTP, 200, "", httpServerDetails()));
    ServerSpan b3 = t.startServer("GET", Protocol.HTTP, inbound(Map.of("b3", "0")));
    b3.end(serverReport(Protocol.HTTP, 200, "", httpServerDetails()));
    CallSpan call = t.startCall("GET", Protocol.HTTP, w3c.context());
    Map<String, String> wire = injected(call.startAttempt(1));
    ServerSpan marker = t.startServer("GET", Protocol.HTTP, inbound(Map.of()));
    marker.end(serverReport(Protocol.HTTP, 200, "", httpServerDetails()));

    List<SpanData> spans = awaitSpans(1);
    assertThat(spans).hasSize(1);
    assertThat(spans.get(0).getTraceId()).isNotEqualTo(TRACE);
    assertThat(w3c.context().header("traceparent")).startsWith("00-" + TRACE + "-").endsWith("-00");
    assertThat(b3.context().header("x-b3-sampled")).isEqualTo("0");
    assertThat(wire.get("traceparent")).startsWith("00-" + TRACE + "-").endsWith("-00");
  }

  @Test
  void halfRate_samplesAboutHalfOfNewTraces_withinFivePercentagePoints() {
    // No collector: sampled spans are not recorded, but the decision still propagates.
    OtelMeshTracing t = tracing(REVIEWS, policy(50, 50, List.of()));
    int sampled = 0;
    int n = 4000;
    for (int i = 0; i < n; i++) {
      ServerSpan s = t.startServer("GET", Protocol.HTTP, inbound(Map.of()));
      if ("1".equals(s.context().header("x-b3-sampled"))) {
        sampled++;
      }
    }
    // Binomial(4000, 0.5): sigma is about 32, so +-200 is over 6 sigma.
    assertThat(sampled).isBetween(n / 2 - 200, n / 2 + 200);
    assertThat(exportersMade).hasValue(0);
  }

  @Test
  void noCollector_propagatesSampledContextWithoutExporter() {
    OtelMeshTracing t = tracing(REVIEWS, policy(100, 100, List.of()));

    ServerSpan s = t.startServer("GET", Protocol.HTTP, inbound(Map.of()));
    Map<String, String> wire = injected(t.startCall("GET", Protocol.HTTP, s.context())
        .startAttempt(1));

    assertThat(s).isInstanceOf(PropagatingSpans.Server.class);
    assertThat(s.context().header("traceparent")).endsWith("-01");
    assertThat(wire.get("x-b3-traceid")).isEqualTo(s.context().header("x-b3-traceid"));
    assertThat(wire.get("x-b3-sampled")).isEqualTo("1");
    assertThat(exportersMade).hasValue(0);
  }

  @Test
  void disableSpanReporting_exportsNothingButPropagatesSampled() {
    OtelMeshTracing t = tracing(REVIEWS, policy(new TracingRules(100, true, Map.of()),
        new TracingRules(0, false, Map.of()), List.of(ANY_COLLECTOR)));

    ServerSpan server = t.startServer("GET", Protocol.HTTP, inbound(Map.of()));
    CallSpan call = t.startCall("GET", Protocol.HTTP, server.context());
    server.end(serverReport(Protocol.HTTP, 200, "", httpServerDetails()));
    call.end(clientReport(Protocol.HTTP, 200, "", httpClientDetails()));

    // Only the client side reports; its span continues the unreported server span.
    List<SpanData> spans = awaitSpans(1);
    assertThat(spans).hasSize(1);
    assertThat(spans.get(0).getKind()).isEqualTo(SpanKind.INTERNAL);
    assertThat(spans.get(0).getParentSpanId())
        .isEqualTo(server.context().header("x-b3-spanid"));
    assertThat(server.context().header("x-b3-sampled")).isEqualTo("1");
  }

  @Test
  void customTags_literalEnvironmentAndHeaderWithDefaults() {
    Map<String, TracingRules.CustomTag> tags = Map.of(
        "team", new TracingRules.CustomTag.Literal("books"),
        "pod", new TracingRules.CustomTag.Environment("POD_NAME", "nopod"),
        "zone", new TracingRules.CustomTag.Environment("ZONE", "zone-default"),
        "user", new TracingRules.CustomTag.Header("end-user", "anonymous"),
        "tenant", new TracingRules.CustomTag.Header("x-tenant", "none"));
    OtelMeshTracing t = tracing(REVIEWS, policy(TracingFixtures.tags(100, tags),
        TracingFixtures.tags(0, Map.of()), List.of(ANY_COLLECTOR)), Map.of("POD_NAME", "rev-1"));

    ServerSpan s = t.startServer("GET", Protocol.HTTP, inbound(Map.of()));
    s.end(serverReport(Protocol.HTTP, 200, "", io.inboard.mesh.api.internal.telemetry
        .RequestDetails.builder().method("GET").path("/").headers(Map.of("end-user", "jason"))
        .build()));

    Map<String, Object> attributes = attributes(awaitSpans(1).get(0));
    assertThat(attributes).containsEntry("team", "books").containsEntry("pod", "rev-1")
        .containsEntry("zone", "zone-default").containsEntry("user", "jason")
        .containsEntry("tenant", "none");
  }

  @Test
  void httpServerSpan_semconvAndIstioAttributes_errorOnlyOn5xx() {
    OtelMeshTracing t = tracing(REVIEWS, policy(100, 0, List.of(ANY_COLLECTOR)));
    long before = System.currentTimeMillis() * 1_000_000L;
    ServerSpan failed = t.startServer("GET", Protocol.HTTP, inbound(Map.of()));
    long after = System.currentTimeMillis() * 1_000_000L + 1_000_000L;
    failed.end(serverReport(Protocol.HTTP, 503, "", httpServerDetails()));
    t.startServer("GET", Protocol.HTTP, inbound(Map.of()))
        .end(serverReport(Protocol.HTTP, 404, "", httpServerDetails()));

    List<SpanData> spans = awaitSpans(2);
    SpanData s503 = spans.get(0);
    assertThat(s503.getName()).isEqualTo("GET");
    assertThat(s503.getKind()).isEqualTo(SpanKind.SERVER);
    assertThat(s503.getStartEpochNanos()).isBetween(before, after);
    assertThat(s503.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(spans.get(1).getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    assertThat(attributes(s503)).containsEntry("http.request.method", "GET")
        .containsEntry("url.path", "/reviews/0").containsEntry("url.query", "verbose=1")
        .containsEntry("url.scheme", "http").containsEntry("http.response.status_code", 503L)
        .containsEntry("server.address", "reviews").containsEntry("server.port", 9080L)
        .containsEntry("client.address", "10.1.2.3")
        .containsEntry("network.peer.address", "127.0.0.1")
        .containsEntry("user_agent.original", "curl/8")
        .containsEntry("network.protocol.version", "1.1")
        .containsEntry("error.type", "503")
        .containsEntry("istio.canonical_service", "reviews")
        .containsEntry("istio.canonical_revision", "v2")
        .containsEntry("istio.namespace", "default")
        .containsEntry("istio.cluster_id", "Kubernetes")
        .containsEntry("istio.mesh_id", "cluster.local")
        .containsEntry("upstream_cluster", "inbound|9080||")
        .containsEntry("response_flags", "-")
        .containsEntry("guid:x-request-id", "rid-1");
    assertThat(s503.getResource().getAttribute(AttributeKey.stringKey("service.name")))
        .isEqualTo("reviews.default");
  }

  @Test
  void httpAttempts_errorOn4xx_resendCountAndPeerAddress() {
    OtelMeshTracing t = tracing(PRODUCTPAGE, policy(0, 100, List.of(ANY_COLLECTOR)));

    CallSpan call = t.startCall("GET", Protocol.HTTP, RequestContext.EMPTY);
    Attempt first = call.startAttempt(1);
    first.end(0, "", "UF", "127.0.0.1:9081", new java.net.ConnectException("refused"));
    Attempt second = call.startAttempt(2);
    second.end(404, "", "-", "127.0.0.1:9080", null);
    call.end(clientReport(Protocol.HTTP, 404, "", httpClientDetails()));

    List<SpanData> spans = awaitSpans(3);
    SpanData callSpan = spans.stream().filter(s -> s.getKind() == SpanKind.INTERNAL)
        .findFirst().orElseThrow();
    assertThat(callSpan.getParentSpanContext().isValid()).isFalse();
    assertThat(callSpan.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(attributes(callSpan)).containsEntry("url.full", "http://reviews:9080/reviews/0")
        .containsEntry("upstream_cluster", "outbound|9080||reviews.default.svc.cluster.local")
        .containsEntry("istio.canonical_service", "productpage");
    List<SpanData> attempts = spans.stream().filter(s -> s.getKind() == SpanKind.CLIENT)
        .sorted(java.util.Comparator.comparing(SpanData::getStartEpochNanos)).toList();
    assertThat(attempts).hasSize(2).allSatisfy(a -> {
      assertThat(a.getName()).isEqualTo("GET");
      assertThat(a.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
      assertThat(attributes(a)).containsEntry("server.address", "reviews")
          .containsEntry("server.port", 9080L).containsEntry("guid:x-request-id", "rid-1");
    });
    assertThat(attributes(attempts.get(0))).doesNotContainKey("http.request.resend_count")
        .containsEntry("network.peer.port", 9081L).containsEntry("response_flags", "UF")
        .containsEntry("error.type", "java.net.ConnectException");
    assertThat(attributes(attempts.get(1))).containsEntry("http.request.resend_count", 1L)
        .containsEntry("network.peer.address", "127.0.0.1")
        .containsEntry("network.peer.port", 9080L)
        .containsEntry("http.response.status_code", 404L).containsEntry("error.type", "404");
    assertThat(attempts.get(0).getEndEpochNanos())
        .isLessThanOrEqualTo(attempts.get(1).getStartEpochNanos());
  }

  @Test
  void grpcSpans_fullMethodNameRpcAttributesAndSideSpecificErrors() {
    OtelMeshTracing t = tracing(REVIEWS, policy(100, 100, List.of(ANY_COLLECTOR)));
    String method = "bookinfo.Reviews/GetReviews";
    io.inboard.mesh.api.internal.telemetry.RequestDetails details =
        io.inboard.mesh.api.internal.telemetry.RequestDetails.builder().method("POST")
            .path("/" + method).authority("reviews:9080").build();

    t.startServer(method, Protocol.GRPC, inbound(Map.of()))
        .end(serverReport(Protocol.GRPC, 200, "4", details));
    t.startServer(method, Protocol.GRPC, inbound(Map.of()))
        .end(serverReport(Protocol.GRPC, 200, "5", details));
    CallSpan call = t.startCall(method, Protocol.GRPC, RequestContext.EMPTY);
    call.startAttempt(1).end(200, "5", "-", "127.0.0.1:9080", null);
    call.end(clientReport(Protocol.GRPC, 200, "5", details));

    List<SpanData> spans = awaitSpans(4);
    assertThat(spans).extracting(SpanData::getName).containsOnly(method);
    SpanData deadline = spans.get(0);
    assertThat(deadline.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(attributes(deadline)).containsEntry("rpc.system.name", "grpc")
        .containsEntry("rpc.system", "grpc").containsEntry("rpc.method", method)
        .containsEntry("rpc.service", "bookinfo.Reviews")
        .containsEntry("rpc.status_code", "DEADLINE_EXCEEDED")
        .containsEntry("rpc.grpc.status_code", 4L);
    assertThat(spans.get(1).getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    assertThat(attributes(spans.get(1))).containsEntry("rpc.status_code", "NOT_FOUND");
    assertThat(spans.subList(2, 4)).allSatisfy(s -> {
      assertThat(s.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
      assertThat(attributes(s)).containsEntry("rpc.status_code", "NOT_FOUND")
          .containsEntry("server.address", "reviews");
    });
  }

  @Test
  void afterClose_spansOnlyPropagateWithValidIds() {
    OtelMeshTracing t = tracing(REVIEWS, policy(100, 100, List.of(ANY_COLLECTOR)));
    t.close();

    ServerSpan s = t.startServer("GET", Protocol.HTTP, inbound(Map.of()));
    Map<String, String> wire = injected(t.startCall("GET", Protocol.HTTP, s.context())
        .startAttempt(1));

    assertThat(s.context().header("traceparent")).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01")
        .doesNotContain("0000000000000000");
    assertThat(wire.get("x-b3-traceid")).isEqualTo(s.context().header("x-b3-traceid"));
  }

  @Test
  void serviceName_isAppDotNamespace_elseWorkload() {
    assertThat(OtelMeshTracing.serviceName(REVIEWS)).isEqualTo("reviews.default");
    assertThat(OtelMeshTracing.serviceName(new PeerIdentity("ratings-v1", "shop", null, null)))
        .isEqualTo("ratings-v1.shop");
  }

  private static Map<String, Object> attributes(SpanData span) {
    Map<String, Object> out = new LinkedHashMap<>();
    span.getAttributes().forEach((k, v) -> out.put(k.getKey(), v));
    return out;
  }
}
