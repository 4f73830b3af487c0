package io.inboard.e2e.bookinfo;

import static io.inboard.e2e.bookinfo.LocalBookinfo.DETAILS_UNAVAILABLE;
import static io.inboard.e2e.bookinfo.LocalBookinfo.RATINGS_UNAVAILABLE;
import static io.inboard.e2e.bookinfo.LocalBookinfo.REVIEWS_UNAVAILABLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.inboard.examples.bookinfo.Workload;
import io.inboard.mesh.security.internal.inbound.InboundAccess;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Istio's "Authorization for HTTP traffic" and "JWT authentication" tasks on the local bookinfo
 * mesh, step by step with the files of {@code examples/bookinfo/security}, applied with {@code
 * inboardctl} as a user would: allow-nothing breaks every page, then each service is opened to
 * exactly the identity that calls it until the page is whole again; a DENY on a header and an
 * AUDIT policy; then a RequestAuthentication on productpage, a policy requiring a request
 * principal, and one requiring a claim.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IstioAuthorizationTasksTest {
  private static final Duration PROPAGATION = Duration.ofSeconds(20);

  private static LocalBookinfo bookinfo;

  @BeforeAll
  static void start() throws IOException {
    bookinfo = LocalBookinfo.start(0);
    // everyone to reviews v3, which calls ratings, so every page shows whether ratings answered
    bookinfo.apply("virtual-service-reviews-v3.yaml");
  }

  @AfterAll
  static void stop() {
    if (bookinfo != null) {
      bookinfo.close();
    }
  }

  @Test
  @Order(1)
  void allowNothingDeniesTheProductPageItself() {
    bookinfo.security("apply", "authz-allow-nothing.yaml");
    await().atMost(PROPAGATION).untilAsserted(() -> {
      HttpResponse<String> page = bookinfo.page("");
      assertThat(page.statusCode()).isEqualTo(403);
      assertThat(page.body()).isEqualTo("RBAC: access denied");
    });
  }

  @Test
  @Order(2)
  void productpageViewerOpensThePageButNotDetailsOrReviews() {
    bookinfo.security("apply", "authz-productpage-viewer.yaml");
    await().atMost(PROPAGATION).untilAsserted(() -> {
      HttpResponse<String> page = bookinfo.page("");
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).contains(DETAILS_UNAVAILABLE, REVIEWS_UNAVAILABLE);
    });
  }

  @Test
  @Order(3)
  void detailsAndReviewsOpenToProductpagesIdentityButRatingsStayClosed() {
    bookinfo.security("apply", "authz-details-viewer.yaml");
    bookinfo.security("apply", "authz-reviews-viewer.yaml");
    await().atMost(PROPAGATION).untilAsserted(() -> {
      String page = bookinfo.page("").body();
      assertThat(page).doesNotContain(DETAILS_UNAVAILABLE, REVIEWS_UNAVAILABLE);
      assertThat(page).contains(RATINGS_UNAVAILABLE);
    });
  }

  @Test
  @Order(4)
  void ratingsOpenToReviewsIdentityMakesThePageWholeAgain() {
    bookinfo.security("apply", "authz-ratings-viewer.yaml");
    pageIsWhole("");
    pageIsWhole("jason");
  }

  @Test
  @Order(5)
  void aDenyOnTheEndUserHeaderTakesRatingsFromJasonOnly() {
    bookinfo.security("apply", "authz-deny-ratings-for-jason.yaml");
    await().atMost(PROPAGATION).untilAsserted(() ->
        assertThat(bookinfo.page("jason").body()).contains(RATINGS_UNAVAILABLE));
    pageIsWhole("");
    bookinfo.security("delete", "authz-deny-ratings-for-jason.yaml");
    pageIsWhole("jason");
  }

  @Test
  @Order(6)
  void anAuditPolicyRecordsRatingsRequestsWithoutChangingTheDecision() {
    InboundAccess ratings = InboundAccess.of(bookinfo.workload(Workload.RATINGS_V1).mesh());
    bookinfo.security("apply", "authz-audit-ratings.yaml");
    await().atMost(PROPAGATION).untilAsserted(() -> {
      long before = ratings.audited("default/audit-ratings");
      pageIsWhole("");
      assertThat(ratings.audited("default/audit-ratings")).isGreaterThan(before);
    });
  }

  @Test
  @Order(7)
  void jwtOnProductpageAcceptsValidTokensRefusesInvalidOnesAndLetsTokenlessRequestsPass()
      throws IOException {
    for (String f : new String[] {"authz-allow-nothing.yaml", "authz-productpage-viewer.yaml",
        "authz-details-viewer.yaml", "authz-reviews-viewer.yaml", "authz-ratings-viewer.yaml",
        "authz-audit-ratings.yaml"}) {
      bookinfo.security("delete", f);
    }
    bookinfo.security("apply", "jwt-productpage.yaml");
    await().atMost(PROPAGATION).untilAsserted(() -> {
      assertThat(pageWith(token("expired.jwt")).statusCode()).isEqualTo(401);
      assertThat(pageWith("not.a.token").statusCode()).isEqualTo(401);
    });
    assertThat(pageWith(token("demo.jwt")).statusCode()).isEqualTo(200);
    assertThat(bookinfo.page("").statusCode()).isEqualTo(200);
  }

  @Test
  @Order(8)
  void requiringARequestPrincipalRefusesTokenlessRequestsWith403() throws IOException {
    bookinfo.security("apply", "jwt-require-productpage.yaml");
    await().atMost(PROPAGATION).untilAsserted(() ->
        assertThat(bookinfo.page("").statusCode()).isEqualTo(403));
    HttpResponse<String> page = pageWith(token("demo.jwt"));
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).doesNotContain(DETAILS_UNAVAILABLE, REVIEWS_UNAVAILABLE,
        RATINGS_UNAVAILABLE);
  }

  @Test
  @Order(9)
  void aClaimRuleAdmitsOnlyTokensOfGroup1() throws IOException {
    bookinfo.security("apply", "jwt-require-group1-productpage.yaml");
    String demo = token("demo.jwt");
    await().atMost(PROPAGATION).untilAsserted(() ->
        assertThat(pageWith(demo).statusCode()).isEqualTo(403));
    assertThat(pageWith(token("groups-scope.jwt")).statusCode()).isEqualTo(200);
  }

  private static String token(String file) throws IOException {
    return Files.readString(LocalBookinfo.SECURITY.resolve(file)).trim();
  }

  private static HttpResponse<String> pageWith(String token) {
    return bookinfo.get("/productpage", Map.of("Authorization", "Bearer " + token));
  }

  private static void pageIsWhole(String user) {
    await().atMost(PROPAGATION).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
      HttpResponse<String> page = bookinfo.page(user);
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).doesNotContain(DETAILS_UNAVAILABLE, REVIEWS_UNAVAILABLE,
          RATINGS_UNAVAILABLE);
    });
  }
}
