package io.inboard.e2e.bookinfo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.inboard.e2e.gateway.LocalGateway;
import io.inboard.e2e.gateway.RawHttp;
import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Istio's getting-started path, last step: {@code bookinfo-gateway.yaml} applied unchanged opens
 * productpage through the ingress gateway (server port 8080, hosts {@code *}, the page, its
 * static files, login/logout and the products API), and Istio's request-routing tasks hold for
 * requests that come in through the gateway.
 */
class BookinfoGatewayTest {

  /** The Gateway's server port in Istio's file. */
  private static final int GATEWAY_PORT = 8080;

  private static LocalBookinfo mesh;
  private static LocalGateway gateway;

  @BeforeAll
  static void start() throws IOException {
    // Istio's file routes to productpage port 9080: serve bookinfo there, as in Istio
    mesh = LocalBookinfo.start(0, UnaryOperator.identity(), 9080);
    gateway = LocalGateway.start(mesh.controlPlane);
    mesh.apply("bookinfo-gateway.yaml");
    gateway.awaitListening(GATEWAY_PORT);
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (mesh != null) {
      mesh.close();
    }
  }

  @AfterEach
  void resetRouting() {
    mesh.resetRouting();
  }

  @Test
  void theProductPageIsServedThroughTheGatewayWithDetailsAndReviews() {
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
        .untilAsserted(() -> {
          RawHttp.Response r = get("/productpage");
          assertThat(r.status()).as(r.toString()).isEqualTo(200);
          assertThat(r.body()).contains("data-reviews-version=")
              .doesNotContain(LocalBookinfo.DETAILS_UNAVAILABLE,
                  LocalBookinfo.REVIEWS_UNAVAILABLE);
        });
  }

  @Test
  void theFilesRoutesReachProductpageAndNothingElseDoes() throws IOException {
    theProductPageIsServedThroughTheGatewayWithDetailsAndReviews();
    assertThat(get("/api/v1/products").status()).isEqualTo(200);
    assertThat(get("/api/v1/products/0/reviews").body()).contains("reviews");
    // exact /logout is routed (productpage answers it); /productpage/x is not exact /productpage
    assertThat(get("/logout").status()).isNotEqualTo(404);
    assertThat(get("/productpage/x").status()).isEqualTo(404);
    assertThat(get("/details/0").status()).isEqualTo(404);
  }

  @Test
  void allTrafficToReviewsV1HoldsForRequestsThroughTheGateway() {
    mesh.apply("virtual-service-all-v1.yaml");
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
        .untilAsserted(() -> {
          for (int i = 0; i < 10; i++) {
            assertThat(LocalBookinfo.reviewsVersion(get("/productpage").body())).isEqualTo("v1");
          }
        });
  }

  @Test
  void jasonSeesReviewsV2ThroughTheGatewayAndOthersV1() {
    mesh.apply("virtual-service-all-v1.yaml");
    mesh.apply("virtual-service-reviews-test-v2.yaml");
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
        .untilAsserted(() -> {
          String page = get("/productpage?u=jason").body();
          assertThat(LocalBookinfo.reviewsVersion(page)).isEqualTo("v2");
          assertThat(LocalBookinfo.starsColor(page)).isEqualTo("black");
          assertThat(LocalBookinfo.reviewsVersion(get("/productpage").body())).isEqualTo("v1");
        });
  }

  @Test
  void withoutRoutingRulesTheGatewaysRequestsReachEveryReviewsVersion() {
    Set<String> seen = new HashSet<>();
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
        .untilAsserted(() -> {
          seen.add(LocalBookinfo.reviewsVersion(get("/productpage").body()));
          assertThat(seen).contains("v1", "v2", "v3");
        });
  }

  private static RawHttp.Response get(String path) {
    try {
      return gateway.get(GATEWAY_PORT, "bookinfo.example.com", path);
    } catch (IOException e) {
      throw new AssertionError(path, e);
    }
  }
}
