package io.inboard.mesh.http.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.ServiceName;
import io.inboard.mesh.api.discovery.Endpoint;
import io.inboard.mesh.api.discovery.StaticDiscovery;
import io.inboard.mesh.api.inbound.InboundDecision;
import io.inboard.mesh.api.internal.telemetry.PeerIdentity;
import io.inboard.mesh.api.internal.telemetry.RequestDetails;
import io.inboard.mesh.api.internal.telemetry.RequestReport;
import io.inboard.mesh.http.MeshHttpClient;
import io.inboard.mesh.http.internal.telemetry.RecordingTelemetry;
import io.inboard.mesh.http.internal.telemetry.RecordingTelemetry.Span;
import io.inboard.mesh.testing.HttpBackendExtension;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The {@code reporter="destination"} reports and SERVER spans of {@link MeshHttpServerFilter}
 * on a real JDK HttpServer: every field, counted body sizes, the span's context as what the
 * application's outbound calls continue, refused requests traced too, and DC when the caller
 * goes away mid-response.
 */
class JdkServerReportsTest {

  private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
  private static final String CALLER_SPAN = "b7ad6b7169203331";

  @RegisterExtension
  final HttpBackendExtension details = HttpBackendExtension.on("127.0.0.8").build();

  private Mesh mesh;
  private RecordingTelemetry telemetry;
  private MeshHttpClient outbound;
  private HttpServer server;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    details.start();
    mesh = Mesh.builder().workloadName("ratings-v1").namespace("default").adminPort(-1)
        .discovery(new StaticDiscovery().put(ServiceName.of("details", "default", 9080),
            List.of(Endpoint.ready(details.ip(), details.port()))))
        .inboundGuard(req -> req.path().startsWith("/admin")
            ? InboundDecision.deny("RBAC: access denied") : InboundDecision.ALLOW)
        .build();
    telemetry = RecordingTelemetry.installOn(mesh).capture("x-tenant");
    outbound = MeshHttpClient.of(mesh);
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle).getFilters().add(MeshHttpServerFilter.of(mesh));
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
    outbound.close();
    mesh.close();
  }

  private void handle(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    byte[] body;
    try (InputStream in = ex.getRequestBody()) {
      body = in.readAllBytes();
    }
    if (path.equals("/chunked")) {
      ex.sendResponseHeaders(201, 0);
      try (OutputStream os = ex.getResponseBody()) {
        for (int i = 0; i < 3; i++) {
          os.write("abc".getBytes(StandardCharsets.UTF_8));
        }
      }
      return;
    }
    if (path.equals("/stream")) {
      ex.sendResponseHeaders(200, 0);
      OutputStream os = ex.getResponseBody();
      byte[] block = new byte[64 * 1024];
      while (true) { // until the caller's going away makes the write fail
        os.write(block);
        os.flush();
      }
    }
    String answer = "got " + body.length;
    if (path.equals("/call")) {
      try {
        answer = outbound.send(HttpRequest.newBuilder(URI.create("http://details:9080/d"))
            .build(), BodyHandlers.ofString()).body();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
    }
    byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(200, bytes.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(bytes);
    }
  }

  private URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + pathAndQuery);
  }

  private RequestReport nextReport(int before) {
    await().atMost(Duration.ofSeconds(10)).until(() -> telemetry.reports.stream()
        .filter(r -> r.reporter() == RequestReport.Reporter.DESTINATION).count() > before);
    return telemetry.reports.stream()
        .filter(r -> r.reporter() == RequestReport.Reporter.DESTINATION)
        .skip(before).findFirst().orElseThrow();
  }

  @Test
  void answeredRequest_reportsEveryFieldWithTheCallersPeerAndCountedSizes() throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/ratings/1?u=2"))
        .POST(HttpRequest.BodyPublishers.ofString("seven!!"))
        .header(PeerIdentity.HEADER, "productpage-v1;default;productpage;v1;pp;v1;Kubernetes")
        .header("x-request-id", "r-9").header("x-forwarded-for", "10.1.1.1")
        .header("user-agent", "reports-test").header("x-tenant", "t2")
        .header("x-forwarded-host", "ratings:9080").build(), BodyHandlers.ofString());
    assertThat(response.body()).isEqualTo("got 7");
    assertThat(response.headers().firstValue(PeerIdentity.HEADER))
        .hasValue(PeerIdentity.of(mesh).toHeader());

    RequestReport r = nextReport(0);

    int port = server.getAddress().getPort();
    assertThat(r.source()).isEqualTo(new PeerIdentity("productpage-v1", "default", "productpage",
        "v1", "pp", "v1", "Kubernetes"));
    assertThat(r.destination()).isEqualTo(PeerIdentity.of(mesh));
    assertThat(r.responseCode()).isEqualTo(200);
    assertThat(r.responseFlags()).isEqualTo("-");
    assertThat(r.requestBytes()).isEqualTo(7);
    assertThat(r.responseBytes()).isEqualTo(5);
    assertThat(r.mutualTls()).isFalse();
    RequestDetails d = r.details();
    assertThat(d.method()).isEqualTo("POST");
    assertThat(d.path()).isEqualTo("/ratings/1?u=2");
    assertThat(d.protocolVersion()).isEqualTo("HTTP/1.1");
    assertThat(d.authority()).isEqualTo("ratings:9080");
    assertThat(d.userAgent()).isEqualTo("reports-test");
    assertThat(d.requestId()).isEqualTo("r-9");
    assertThat(d.forwardedFor()).isEqualTo("10.1.1.1");
    assertThat(d.downstreamLocalAddress()).isEqualTo("127.0.0.1:" + port);
    assertThat(d.downstreamRemoteAddress()).startsWith("127.0.0.1:");
    assertThat(d.upstreamHost()).isEqualTo("127.0.0.1:" + port);
    assertThat(d.upstreamCluster()).isEqualTo("inbound|" + port + "||");
    assertThat(d.routeName()).isEqualTo("default");
    assertThat(d.responseCodeDetails()).isEqualTo("via_upstream");
    assertThat(d.attempts()).isEqualTo(1);
    assertThat(d.headers()).isEqualTo(Map.of("x-tenant", "t2"));
    assertThat(d.startEpochMillis()).isPositive();
  }

  @Test
  void chunkedBodies_areCountedBothWays() throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/chunked"))
        .POST(HttpRequest.BodyPublishers.ofInputStream(
            () -> new java.io.ByteArrayInputStream(new byte[1234]))).build(),
        BodyHandlers.ofString());
    assertThat(response.body()).isEqualTo("abcabcabc");

    RequestReport r = nextReport(0);

    assertThat(r.responseCode()).isEqualTo(201);
    assertThat(r.requestBytes()).isEqualTo(1234);
    assertThat(r.responseBytes()).isEqualTo(9);
  }

  @Test
  void serverSpan_continuesTheCallersTrace_andIsWhatOutboundCallsContinue() throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/call"))
        .header("traceparent", "00-" + TRACE_ID + "-" + CALLER_SPAN + "-01").build(),
        BodyHandlers.ofString());
    assertThat(response.body()).isEqualTo(details.ip());

    RequestReport r = nextReport(0);

    Span server = telemetry.spans.stream().filter(s -> s.kind.equals("SERVER")).findFirst()
        .orElseThrow();
    assertThat(server.name).isEqualTo("GET");
    assertThat(server.traceId).isEqualTo(TRACE_ID);
    assertThat(server.parentSpanId).isEqualTo(CALLER_SPAN);
    assertThat(server.report).isSameAs(r);
    Span call = telemetry.children(server, "CALL").get(0);
    Span attempt = telemetry.children(call, "ATTEMPT").get(0);
    assertThat(details.lastRequest().orElseThrow().header("traceparent"))
        .hasValue(attempt.traceparent());
    assertThat(attempt.traceId).isEqualTo(TRACE_ID);
  }

  @Test
  void refusedRequest_isTracedAndReportedWithTheRefusal() throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/admin")).build(),
        BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(403);

    RequestReport r = nextReport(0);

    assertThat(r.responseCode()).isEqualTo(403);
    assertThat(r.details().responseCodeDetails()).isEqualTo("inbound_guard_denied");
    assertThat(r.responseBytes()).isEqualTo("RBAC: access denied\n".length());
    Span server = telemetry.spans.stream().filter(s -> s.kind.equals("SERVER")).findFirst()
        .orElseThrow();
    await().atMost(Duration.ofSeconds(5)).until(() -> server.ended);
    assertThat(server.report).isSameAs(r);
  }

  @Test
  void callerGoingAwayMidResponse_reportsDc() throws Exception {
    try (Socket s = new Socket("127.0.0.1", server.getAddress().getPort())) {
      s.getOutputStream().write(("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      s.getInputStream().readNBytes(1024); // the response has started
      s.setSoLinger(true, 0);
    }

    RequestReport r = nextReport(0);

    assertThat(r.responseCode()).isEqualTo(200);
    assertThat(r.responseFlags()).isEqualTo("DC");
    assertThat(r.details().responseCodeDetails()).isEqualTo("downstream_remote_disconnect");
  }
}
