package io.inboard.mesh.http.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.discovery.StaticDiscovery;
import io.inboard.mesh.api.inbound.InboundDecision;
import io.inboard.mesh.api.internal.telemetry.PeerIdentity;
import io.inboard.mesh.api.internal.telemetry.RequestDetails;
import io.inboard.mesh.api.internal.telemetry.RequestReport;
import io.inboard.mesh.http.internal.telemetry.RecordingTelemetry;
import io.inboard.mesh.http.internal.telemetry.RecordingTelemetry.Span;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code reporter="destination"} reports and SERVER spans of {@link MeshServletFilter} on
 * Jetty 12: every field, bodies counted through the writer and the stream, refusals traced,
 * and DC when the caller goes away mid-response.
 */
class ServletReportsTest {

  private Mesh mesh;
  private RecordingTelemetry telemetry;
  private Server jetty;
  private int port;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    mesh = Mesh.builder().workloadName("reviews-v2").namespace("default").adminPort(-1)
        .discovery(new StaticDiscovery())
        .inboundGuard(req -> req.path().startsWith("/admin")
            ? InboundDecision.deny("RBAC: access denied") : InboundDecision.ALLOW)
        .build();
    telemetry = RecordingTelemetry.installOn(mesh).capture("x-tenant");
    jetty = new Server();
    ServerConnector connector = new ServerConnector(jetty);
    connector.setHost("127.0.0.1");
    jetty.addConnector(connector);
    ServletContextHandler app = new ServletContextHandler();
    app.addFilter(new FilterHolder(MeshServletFilter.of(mesh)), "/*",
        EnumSet.of(DispatcherType.REQUEST));
    app.addServlet(new ServletHolder(new HttpServlet() {
      @Override
      protected void service(HttpServletRequest req, HttpServletResponse res)
          throws IOException {
        req.getInputStream().readAllBytes();
        if (req.getRequestURI().equals("/stream")) {
          ServletOutputStream out = res.getOutputStream();
          byte[] block = new byte[64 * 1024];
          while (true) { // until the caller's going away makes the write fail
            out.write(block);
            out.flush();
          }
        }
        res.setContentType("text/plain; charset=utf-8");
        res.getWriter().write("h\u00e9llo"); // 6 bytes in UTF-8
      }
    }), "/*");
    jetty.setHandler(app);
    jetty.start();
    port = connector.getLocalPort();
  }

  @AfterEach
  void stop() throws Exception {
    jetty.stop();
    mesh.close();
  }

  private RequestReport nextReport() {
    await().atMost(Duration.ofSeconds(10)).until(() -> !telemetry.reports.isEmpty());
    return telemetry.reports.get(0);
  }

  @Test
  void answeredRequest_reportsEveryFieldAndTheWritersEncodedBytes() throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + "/reviews/3?v=1"))
        .PUT(HttpRequest.BodyPublishers.ofString("abcd"))
        .header(PeerIdentity.HEADER, "productpage-v1;default;productpage;v1;pp;v1;Kubernetes")
        .header("x-request-id", "r-5").header("user-agent", "servlet-test")
        .header("x-tenant", "t3").build(), BodyHandlers.ofString());
    assertThat(response.body()).isEqualTo("h\u00e9llo");
    assertThat(response.headers().firstValue(PeerIdentity.HEADER))
        .hasValue(PeerIdentity.of(mesh).toHeader());

    RequestReport r = nextReport();

    assertThat(r.reporter()).isEqualTo(RequestReport.Reporter.DESTINATION);
    assertThat(r.source().canonicalService()).isEqualTo("pp");
    assertThat(r.destination()).isEqualTo(PeerIdentity.of(mesh));
    assertThat(r.responseCode()).isEqualTo(200);
    assertThat(r.responseFlags()).isEqualTo("-");
    assertThat(r.requestBytes()).isEqualTo(4);
    assertThat(r.responseBytes()).isEqualTo(6);
    RequestDetails d = r.details();
    assertThat(d.method()).isEqualTo("PUT");
    assertThat(d.path()).isEqualTo("/reviews/3?v=1");
    assertThat(d.protocolVersion()).isEqualTo("HTTP/1.1");
    assertThat(d.authority()).isEqualTo("127.0.0.1:" + port);
    assertThat(d.userAgent()).isEqualTo("servlet-test");
    assertThat(d.requestId()).isEqualTo("r-5");
    assertThat(d.downstreamLocalAddress()).isEqualTo("127.0.0.1:" + port);
    assertThat(d.downstreamRemoteAddress()).startsWith("127.0.0.1:");
    assertThat(d.upstreamCluster()).isEqualTo("inbound|" + port + "||");
    assertThat(d.responseCodeDetails()).isEqualTo("via_upstream");
    assertThat(d.headers()).containsExactlyEntriesOf(java.util.Map.of("x-tenant", "t3"));
    Span server = telemetry.spans.get(0);
    assertThat(server.kind).isEqualTo("SERVER");
    assertThat(server.name).isEqualTo("PUT");
    assertThat(server.report).isSameAs(r);
  }

  @Test
  void chunkedRequestBody_isCountedAsTheApplicationReadsIt() throws Exception {
    http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/upload"))
        .POST(HttpRequest.BodyPublishers.ofInputStream(
            () -> new java.io.ByteArrayInputStream(new byte[4321]))).build(),
        BodyHandlers.ofString());

    RequestReport r = nextReport();

    assertThat(r.requestBytes()).isEqualTo(4321);
    assertThat(r.responseBytes()).isEqualTo(6);
  }

  @Test
  void refusedRequest_isTracedAndReportedWithTheRefusal() throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + "/admin")).build(), BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(403);

    RequestReport r = nextReport();

    assertThat(r.responseCode()).isEqualTo(403);
    assertThat(r.details().responseCodeDetails()).isEqualTo("inbound_guard_denied");
    assertThat(r.responseBytes()).isEqualTo("RBAC: access denied\n".length());
    assertThat(telemetry.spans.get(0).report).isSameAs(r);
  }

  @Test
  void callerGoingAwayMidResponse_reportsDc() throws Exception {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.getOutputStream().write(("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      s.getInputStream().readNBytes(1024); // the response has started
      s.setSoLinger(true, 0);
    }

    RequestReport r = nextReport();

    assertThat(r.responseCode()).isEqualTo(200);
    assertThat(r.responseFlags()).isEqualTo("DC");
    assertThat(r.details().responseCodeDetails()).isEqualTo("downstream_remote_disconnect");
  }
}
