package io.inboard.mesh.telemetry.internal.tracing;

import static io.inboard.mesh.telemetry.internal.tracing.TracingFixtures.REVIEWS;
import static io.inboard.mesh.telemetry.internal.tracing.TracingFixtures.clientReport;
import static io.inboard.mesh.telemetry.internal.tracing.TracingFixtures.httpClientDetails;
import static io.inboard.mesh.telemetry.internal.tracing.TracingFixtures.httpServerDetails;
import static io.inboard.mesh.telemetry.internal.tracing.TracingFixtures.policy;
import static io.inboard.mesh.telemetry.internal.tracing.TracingFixtures.serverReport;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.inboard.mesh.api.context.RequestContext;
import io.inboard.mesh.api.inbound.InboundRequest.Protocol;
import io.inboard.mesh.api.internal.telemetry.MeshTracing.Attempt;
import io.inboard.mesh.api.internal.telemetry.MeshTracing.CallSpan;
import io.inboard.mesh.api.internal.telemetry.MeshTracing.ServerSpan;
import io.inboard.mesh.api.internal.telemetry.policy.TraceExporter;
import io.inboard.mesh.api.internal.telemetry.policy.TraceExporter.Kind;
import java.net.URI;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SpanExportTest {

  private final CapturingCollector zipkinA = new CapturingCollector();
  private final CapturingCollector zipkinB = new CapturingCollector();
  private final CapturingCollector otlp = new CapturingCollector();
  private final OtelMeshTracing tracing = new OtelMeshTracing(REVIEWS, name -> null,
      SpanExporters.DEFAULT, Duration.ofMillis(50));

  @AfterEach
  void close() {
    tracing.close();
    zipkinA.close();
    zipkinB.close();
    otlp.close();
  }

  private static List<TraceExporter> zipkin(CapturingCollector c) {
    return List.of(new TraceExporter("zipkin", Kind.ZIPKIN, c.uri("/api/v2/spans")));
  }

  private String serve(int code) {
    ServerSpan s = tracing.startServer("GET", Protocol.HTTP, new RequestContext(Map.of()));
    s.end(serverReport(Protocol.HTTP, code, "", httpServerDetails()));
    return s.context().header("x-b3-traceid");
  }

  @Test
  void zipkin_postsV2JsonWithKindsEndpointsTagsAndMicroseconds() {
    tracing.configure(policy(100, 100, zipkin(zipkinA)));

    ServerSpan server = tracing.startServer("GET", Protocol.HTTP, new RequestContext(Map.of()));
    CallSpan call = tracing.startCall("GET", Protocol.HTTP, server.context());
    Attempt attempt = call.startAttempt(1);
    attempt.end(503, "", "-", "127.0.0.1:9080", null);
    call.end(clientReport(Protocol.HTTP, 503, "", httpClientDetails()));
    server.end(serverReport(Protocol.HTTP, 503, "", httpServerDetails()));
    String traceId = server.context().header("x-b3-traceid");
    String serverId = server.context().header("x-b3-spanid");

    await().atMost(Duration.ofSeconds(10)).until(() -> zipkinA.posts().stream()
        .mapToLong(p -> p.text().split("\"traceId\"").length - 1).sum() >= 3);
    String json = String.join("", zipkinA.posts().stream().map(CapturingCollector.Post::text)
        .toList());
    assertThat(zipkinA.posts()).allSatisfy(p -> {
      assertThat(p.path()).isEqualTo("/api/v2/spans");
      assertThat(p.contentType()).isEqualTo("application/json");
      assertThat(p.text()).startsWith("[{").endsWith("}]");
    });
    assertThat(json).contains("\"traceId\":\"" + traceId + "\",\"id\":\"" + serverId + "\"",
        "\"kind\":\"SERVER\"", "\"kind\":\"CLIENT\"",
        "\"localEndpoint\":{\"serviceName\":\"reviews.default\"}",
        "\"remoteEndpoint\":{\"ipv4\":\"127.0.0.1\",\"port\":9080}",
        "\"parentId\":\"" + serverId + "\"",
        "\"http.response.status_code\":\"503\"", "\"istio.canonical_service\":\"reviews\"",
        "\"guid:x-request-id\":\"rid-1\"", "\"error\":\"true\"", "\"shared\":false");
    assertThat(json).containsPattern("\"timestamp\":\\d{16},\"duration\":\\d+");
    // Three spans, two with a Zipkin kind: the call span is INTERNAL.
    assertThat(json.split("\"kind\"").length - 1).isEqualTo(2);
  }

  @Test
  void configure_withOtherCollectors_sendsLaterSpansThereOnly() {
    tracing.configure(policy(100, 100, zipkin(zipkinA)));
    String first = serve(200);
    await().atMost(Duration.ofSeconds(10)).until(() -> zipkinA.received(first));

    tracing.configure(policy(100, 100, zipkin(zipkinB)));
    String second = serve(200);
    await().atMost(Duration.ofSeconds(10)).until(() -> zipkinB.received(second));

    tracing.configure(policy(100, 100, List.of(new TraceExporter("otel", Kind.OTLP_HTTP,
        otlp.uri("/v1/traces")))));
    String third = serve(200);
    byte[] traceIdBytes = HexFormat.of().parseHex(third);
    await().atMost(Duration.ofSeconds(10)).until(() -> otlp.posts().stream()
        .anyMatch(p -> indexOf(p.body(), traceIdBytes) >= 0));

    assertThat(zipkinA.received(second)).isFalse();
    assertThat(zipkinA.received(third) || zipkinB.received(third)).isFalse();
    assertThat(otlp.posts()).allSatisfy(p -> {
      assertThat(p.path()).isEqualTo("/v1/traces");
      assertThat(p.contentType()).isEqualTo("application/x-protobuf");
      // Sent by the JDK's HttpClient, which offers h2c on http:// (OkHttp does not).
      assertThat(p.upgrade()).isEqualTo("h2c");
    });
  }

  @Test
  void configure_withUnusableEndpoint_failsClearlyAndKeepsTheCollectorInForce() {
    tracing.configure(policy(100, 100, zipkin(zipkinA)));

    assertThatThrownBy(() -> tracing.configure(policy(100, 100, List.of(new TraceExporter(
        "zipkin", Kind.ZIPKIN, URI.create("ftp://zipkin:9411/api/v2/spans"))))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tracing provider zipkin: endpoint: ftp://zipkin:9411/api/v2/spans")
        .hasMessageContaining("expected: an http:// or https:// URL");
    String traceId = serve(200);

    await().atMost(Duration.ofSeconds(10)).until(() -> zipkinA.received(traceId));
  }

  @Test
  void configure_otlpGrpc_findsAGrpcSender() {
    // Building fails without a gRPC sender on the class path; nothing listens there.
    tracing.configure(policy(100, 100, List.of(new TraceExporter("otel", Kind.OTLP_GRPC,
        URI.create("http://127.0.0.1:4317")))));
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
