package io.inboard.mesh.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class HttpBackendExtensionTest {

  @RegisterExtension
  final HttpBackendExtension backend = HttpBackendExtension.on("127.0.0.2").version("v1").build();

  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(backend.uri(path));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void answersWithItsAddressAndRecordsTheRequest() throws Exception {
    HttpResponse<String> r = get("/ratings/0?x=1", "end-user", "jason");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("127.0.0.2");
    assertThat(backend.labels()).containsEntry("version", "v1");
    RecordedRequest last = backend.lastRequest().orElseThrow();
    assertThat(last.method()).isEqualTo("GET");
    assertThat(last.uri().toString()).isEqualTo("/ratings/0?x=1");
    assertThat(last.header("End-User")).hasValue("jason");
    assertThat(backend.calls()).isEqualTo(1);
  }

  @Test
  void failPercentFailsThatShareOfEveryHundredRequestsEvenlySpread() throws Exception {
    backend.failPercent(50).failureStatus(500);
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      statuses.add(get("/").statusCode());
    }
    assertThat(statuses).containsExactly(200, 500, 200, 500, 200, 500);

    backend.reset().failPercent(25);
    long failed = 0;
    for (int i = 0; i < 100; i++) {
      failed += get("/").statusCode() == 503 ? 1 : 0;
    }
    assertThat(failed).isEqualTo(25);
  }

  @Test
  void delayAnswersLate() throws Exception {
    backend.delay(Duration.ofMillis(300));
    long start = System.nanoTime();
    get("/");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
  }

  @Test
  void statusBodyAndHeadersCanBeScripted() throws Exception {
    backend.status(404).body(r -> r.method() + " " + r.uri()).responseHeader("server", "kit");
    HttpResponse<String> r = get("/x");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).isEqualTo("GET /x");
    assertThat(r.headers().firstValue("server")).hasValue("kit");
  }

  @Test
  void statusCanDependOnTheRequestAndOnHowManyCameBefore() throws Exception {
    java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
    backend.status(r -> r.uri().getPath().equals("/teapot") ? 418
        : n.getAndIncrement() < 2 ? 503 : 200);
    List<Integer> statuses = new ArrayList<>();
    for (String path : List.of("/", "/teapot", "/", "/")) {
      statuses.add(get(path).statusCode());
    }
    assertThat(statuses).containsExactly(503, 418, 503, 200);

    backend.reset();
    assertThat(get("/teapot").statusCode()).isEqualTo(200);
  }

  @Test
  void refusesOutOfRangeKnobsNamingTheField() {
    assertThatThrownBy(() -> backend.failPercent(101))
        .hasMessage("failPercent: 101 (expected: 0..100)");
    assertThatThrownBy(() -> backend.status(42)).hasMessage("status: 42 (expected: 100..599)");
  }

  @Test
  void isUsableOutsideJunitAndStopsOnClose() throws Exception {
    int port;
    try (HttpBackendExtension b = HttpBackendExtension.on("127.0.0.3").build().start()) {
      port = b.port();
      assertThat(http.send(HttpRequest.newBuilder(b.uri("/")).build(),
          HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("127.0.0.3");
    }
    assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(
        java.net.URI.create("http://127.0.0.3:" + port + "/")).build(),
        HttpResponse.BodyHandlers.ofString())).isInstanceOf(java.io.IOException.class);
  }
}
