package io.inboard.e2e.bookinfo;

import static io.inboard.e2e.bookinfo.LocalBookinfo.DETAILS_UNAVAILABLE;
import static io.inboard.e2e.bookinfo.LocalBookinfo.RATINGS_UNAVAILABLE;
import static io.inboard.e2e.bookinfo.LocalBookinfo.REVIEWS_UNAVAILABLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.inboard.examples.bookinfo.Workload;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Istio's "Mutual TLS Migration" task on the local bookinfo mesh, each workload with its identity
 * from the control plane's CA: bookinfo's own traffic is mTLS with no policy at all (auto-mTLS);
 * a client outside the mesh (the JDK's plain HttpClient) reaches details and ratings in
 * plaintext under the default PERMISSIVE and is refused once namespace {@code default} is STRICT,
 * while bookinfo's pages stay whole; a workload-level {@code portLevelMtls} DISABLE then opens
 * details' port again.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IstioMutualTlsMigrationTest {
  private static final Duration PROPAGATION = Duration.ofSeconds(20);
  private static final String PRODUCTPAGE = "spiffe://cluster.local/ns/default/sa/bookinfo-productpage";

  private static LocalBookinfo bookinfo;
  private final HttpClient outside = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(3)).build();

  @BeforeAll
  static void start() throws IOException {
    bookinfo = LocalBookinfo.start(0);
  }

  @AfterAll
  static void stop() {
    if (bookinfo != null) {
      bookinfo.close();
    }
  }

  @Test
  @Order(1)
  void withoutAnyPolicyBookinfoCallsAreMutualTls() throws Exception {
    pageIsWhole();
    // details saw productpage's calls over mTLS, with its SPIFFE ID
    await().atMost(PROPAGATION).untilAsserted(() -> assertThat(
        metrics(Workload.DETAILS_V1)).containsPattern("istio_requests_total\\{[^}]*"
            + "connection_security_policy=\"mutual_tls\"[^}]*reporter=\"destination\"[^}]*"
            + "source_principal=\"" + PRODUCTPAGE + "\""));
    assertThat(metrics(Workload.DETAILS_V1)).doesNotContain(
        "connection_security_policy=\"none\"");
  }

  @Test
  @Order(2)
  void underPermissiveAClientOutsideTheMeshGetsPlaintextAnswers() {
    assertThat(outsideGet(Workload.DETAILS_V1, "/details/0")).isEqualTo("200");
    assertThat(outsideGet(Workload.RATINGS_V1, "/ratings/0")).isEqualTo("200");
  }

  @Test
  @Order(3)
  void strictRefusesTheOutsideClientAndBookinfoStaysWhole() throws Exception {
    assertThat(bookinfo.ctl("apply", "-f", LocalBookinfo.NETWORKING
        .resolve("task-mtls-strict.yaml").toString()).code()).isZero();

    await().atMost(PROPAGATION).untilAsserted(() -> {
      assertThat(outsideGet(Workload.DETAILS_V1, "/details/0")).isEqualTo("refused");
      assertThat(outsideGet(Workload.RATINGS_V1, "/ratings/0")).isEqualTo("refused");
    });
    pageIsWhole();
  }

  @Test
  @Order(4)
  void aPortLevelDisableOpensDetailsAgainOnly() throws Exception {
    String yaml = Files.readString(LocalBookinfo.NETWORKING
        .resolve("task-mtls-details-port-disable.yaml"))
        .replace("9080:", bookinfo.port + ":");
    java.nio.file.Path file = Files.createTempFile("details-port-disable", ".yaml");
    Files.writeString(file, yaml);
    assertThat(bookinfo.ctl("apply", "-f", file.toString()).code()).isZero();

    await().atMost(PROPAGATION).untilAsserted(() ->
        assertThat(outsideGet(Workload.DETAILS_V1, "/details/0")).isEqualTo("200"));
    assertThat(outsideGet(Workload.RATINGS_V1, "/ratings/0")).isEqualTo("refused");
    pageIsWhole();
  }

  private void pageIsWhole() {
    await().atMost(PROPAGATION).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
      String page = bookinfo.page("jason").body();
      assertThat(page).doesNotContain(DETAILS_UNAVAILABLE, REVIEWS_UNAVAILABLE,
          RATINGS_UNAVAILABLE);
      assertThat(bookinfo.get("/api/v1/products/0/ratings").statusCode()).isEqualTo(200);
    });
  }

  /** The status a plain JDK client outside the mesh gets, or {@code refused}. */
  private String outsideGet(Workload w, String path) {
    URI uri = URI.create("http://" + LocalBookinfo.address(w) + ":" + bookinfo.port + path);
    try {
      return "" + outside.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
          .build(), BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return "refused";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  private String metrics(Workload w) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
        bookinfo.workload(w).adminUrl() + "/stats/prometheus")).build(),
        BodyHandlers.ofString()).body();
  }
}
