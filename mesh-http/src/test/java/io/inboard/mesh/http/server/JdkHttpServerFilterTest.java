package io.inboard.mesh.http.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JdkHttpServerFilterTest {

  private final HttpClient http = HttpClient.newHttpClient();
  private final AtomicReference<Headers> detailsSaw = new AtomicReference<>();
  private ReviewsBackend reviews;
  private HttpServer details;
  private HttpServer productpage;

  @BeforeEach
  void start() throws Exception {
    reviews = new ReviewsBackend();
    details = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    details.createContext("/", ex -> {
      detailsSaw.set(ex.getRequestHeaders());
      respond(ex, "details");
    });
    details.start();
    productpage = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    productpage.createContext("/productpage", ex -> {
      // One gRPC call through a mesh channel, one HTTP call with the outbound propagation.
      String grpc = reviews.callReviews();
      HttpRequest.Builder b = HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + details.getAddress().getPort() + "/details/0"));
      Propagation.apply(reviews.productpageMesh, b, name -> false);
      String body;
      try {
        body = http.send(b.build(), HttpResponse.BodyHandlers.ofString()).body();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
      respond(ex, grpc + "+" + body);
    }).getFilters().add(MeshHttpServerFilter.of(reviews.productpageMesh));
    productpage.start();
  }

  @AfterEach
  void stop() {
    productpage.stop(0);
    details.stop(0);
    reviews.close();
  }

  @Test
  void grpcAndHttpCallsMadeWhileServing_carryRequestIdAndEndUser() throws Exception {
    HttpResponse<String> r = get("r-7", "jason");

    assertThat(r.body()).isEqualTo("reviews+details");
    assertThat(reviews.lastHeader("x-request-id")).isEqualTo("r-7");
    assertThat(reviews.lastHeader("end-user")).isEqualTo("jason");
    assertThat(detailsSaw.get().getFirst("x-request-id")).isEqualTo("r-7");
    assertThat(detailsSaw.get().getFirst("end-user")).isEqualTo("jason");
    assertThat(detailsSaw.get().getFirst("x-inboard-peer"))
        .isEqualTo("productpage-v1;default;productpage;v1");
  }

  @Test
  void consecutiveRequests_doNotShareEndUserOrRequestId() throws Exception {
    get("r-1", "jason");
    get(null, null);

    assertThat(reviews.lastHeader("end-user")).isNull();
    assertThat(detailsSaw.get().getFirst("end-user")).isNull();
    assertThat(detailsSaw.get().getFirst("x-request-id")).hasSize(36);
  }

  @Test
  void inboundRequests_areCountedWithReporterDestination() throws Exception {
    get("r-1", "jason");
    get("r-2", "jason");

    await().untilAsserted(() -> assertThat(ReviewsBackend.requestsTotal(
        reviews.productpageMesh, "reporter=\"destination\"", "request_protocol=\"http\""))
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

  private static void respond(HttpExchange ex, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(200, bytes.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(bytes);
    }
  }
}
