package io.inboard.mesh.http.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.inboard.mesh.api.context.RequestContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class JettyServletFilterTest {

  private static final String TRACEPARENT =
      "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

  private final HttpClient http = HttpClient.newHttpClient();
  @RegisterExtension
  final ReviewsOverGrpc reviews = new ReviewsOverGrpc();
  private Server jetty;
  private int port;

  @BeforeEach
  void start() throws Exception {
    jetty = new Server();
    ServerConnector connector = new ServerConnector(jetty);
    connector.setHost("127.0.0.1");
    jetty.addConnector(connector);
    ServletContextHandler app = new ServletContextHandler();
    app.addFilter(new FilterHolder(MeshServletFilter.of(reviews.productpageMesh())), "/*",
        EnumSet.of(DispatcherType.REQUEST));
    app.addServlet(new ServletHolder(new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
        String answer = req.getRequestURI().equals("/context")
            ? String.valueOf(RequestContext.current().header("end-user"))
            : reviews.callReviews();
        res.setContentType("text/plain");
        res.getWriter().write(answer);
      }
    }), "/*");
    jetty.setHandler(app);
    jetty.start();
    port = connector.getLocalPort();
  }

  @AfterEach
  void stop() throws Exception {
    jetty.stop();
  }

  @Test
  void grpcCallMadeWhileServing_carriesRequestIdTraceparentAndEndUser() throws Exception {
    HttpResponse<String> r = get("/productpage", "r-42", "jason");

    assertThat(r.body()).isEqualTo(ReviewsOverGrpc.REVIEWS_IP);
    assertThat(reviews.lastHeader("x-request-id")).isEqualTo("r-42");
    assertThat(reviews.lastHeader("traceparent")).isEqualTo(TRACEPARENT);
    assertThat(reviews.lastHeader("end-user")).isEqualTo("jason");
    assertThat(r.headers().firstValue("x-inboard-peer"))
        .hasValue("productpage-v1;default;productpage;v1;productpage;v1;Kubernetes");
  }

  @Test
  void requestWithoutId_getsOneGenerated_andNoHeaderLeaksToTheNextRequest() throws Exception {
    get("/productpage", null, "jason");
    String first = reviews.lastHeader("x-request-id");
    get("/productpage", null, null);

    assertThat(first).hasSize(36);
    assertThat(reviews.lastHeader("x-request-id")).hasSize(36).isNotEqualTo(first);
    assertThat(reviews.lastHeader("end-user")).isNull();
    assertThat(get("/context", null, null).body()).isEqualTo("null");
  }

  @Test
  void inboundAndOutbound_areCountedAsIstioRequestsTotal() throws Exception {
    get("/productpage", "r-1", "jason");
    get("/productpage", "r-2", "jason");
    get("/productpage", "r-3", "jason");

    await().untilAsserted(() -> {
      assertThat(IstioRequestsTotal.line(reviews.productpageMesh(),
          "reporter=\"destination\"", "request_protocol=\"http\""))
          .contains("destination_workload=\"productpage-v1\"", "source_workload=\"unknown\"",
              "destination_service=\"productpage.default.svc.cluster.local\"",
              "response_code=\"200\"", "response_flags=\"-\"")
          .endsWith(" 3.0");
      assertThat(IstioRequestsTotal.line(reviews.productpageMesh(),
          "reporter=\"source\"", "request_protocol=\"grpc\""))
          .contains("source_workload=\"productpage-v1\"", "destination_workload=\"reviews-v1\"",
              "destination_service_name=\"reviews\"", "grpc_response_status=\"0\"")
          .endsWith(" 3.0");
      assertThat(IstioRequestsTotal.line(reviews.reviewsMesh(), "reporter=\"destination\""))
          .contains("source_workload=\"productpage-v1\"", "source_app=\"productpage\"",
              "source_version=\"v1\"", "destination_app=\"reviews\"")
          .endsWith(" 3.0");
    });
  }

  private HttpResponse<String> get(String path, String requestId, String user) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("traceparent", TRACEPARENT);
    if (requestId != null) {
      b.header("x-request-id", requestId);
    }
    if (user != null) {
      b.header("end-user", user);
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return r;
  }
}
