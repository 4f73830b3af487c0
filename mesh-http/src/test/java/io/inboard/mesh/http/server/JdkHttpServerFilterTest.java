package io.inboard.mesh.http.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import io.inboard.mesh.testing.HttpBackendExtension;
import io.inboard.mesh.testing.RecordedRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class JdkHttpServerFilterTest {

  private final HttpClient http = HttpClient.newHttpClient();
  @RegisterExtension
  final ReviewsOverGrpc reviews = new ReviewsOverGrpc();
  @RegisterExtension
  final HttpBackendExtension details = HttpBackendExtension.on("127.0.0.8").build();
  private HttpServer productpage;

  @BeforeEach
  void start() throws Exception {
    productpage = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    productpage.createContext("/productpage", ex -> {
      // One gRPC call through a mesh channel, one HTTP call with the outbound propagation.
      String grpc = reviews.callReviews();
      HttpRequest.Builder b = HttpRequest.newBuilder(details.uri("/details/0"));
      Propagation.apply(reviews.productpageMesh(), b, name -> false);
      String body;
      try {
        body = http.send(b.build(), HttpResponse.BodyHandlers.ofString()).body();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
      respond(ex, grpc + "+" + body);
    }).getFilters().add(MeshHttpServerFilter.of(reviews.productpageMesh()));
    productpage.start();
  }

  @AfterEach
  void stop() {
    productpage.stop(0);
  }

  @Test
  void grpcAndHttpCallsMadeWhileServing_carryRequestIdAndEndUser() throws Exception {
    HttpResponse<String> r = get("r-7", "jason");

    assertThat(r.body()).isEqualTo(ReviewsOverGrpc.REVIEWS_IP + "+" + details.ip());
    assertThat(reviews.lastHeader("x-request-id")).isEqualTo("r-7");
    assertThat(reviews.lastHeader("end-user")).isEqualTo("jason");
    assertThat(detailsSaw().header("x-request-id")).hasValue("r-7");
    assertThat(detailsSaw().header("end-user")).hasValue("jason");
    assertThat(detailsSaw().header("x-inboard-peer"))
        .hasValue("productpage-v1;default;productpage;v1;productpage;v1;Kubernetes");
  }

  @Test
  void consecutiveRequests_doNotShareEndUserOrRequestId() throws Exception {
    get("r-1", "jason");
    get(null, null);

    assertThat(reviews.lastHeader("end-user")).isNull();
    assertThat(detailsSaw().header("end-user")).isEmpty();
    assertThat(detailsSaw().header("x-request-id").orElseThrow()).hasSize(36);
  }

  @Test
  void inboundRequests_areCountedWithReporterDestination() throws Exception {
    get("r-1", "jason");
    get("r-2", "jason");

    await().untilAsserted(() -> assertThat(IstioRequestsTotal.line(
        reviews.productpageMesh(), "reporter=\"destination\"", "request_protocol=\"http\""))
        .contains("destination_workload=\"productpage-v1\"", "response_code=\"200\"",
            "connection_security_policy=\"none\"")
        .endsWith(" 2.0"));
  }

  private HttpResponse<String> get(String requestId, String user) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(
        "http://127.0.0.1:" + productpage.getAddress().getPort() + "/productpage"));
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

  private RecordedRequest detailsSaw() {
    return details.lastRequest().orElseThrow();
  }

  private static void respond(HttpExchange ex, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(200, bytes.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(bytes);
    }
  }
}
