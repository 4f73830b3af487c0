package io.inboard.e2e.bookinfo;

import static io.inboard.e2e.bookinfo.LocalBookinfo.DETAILS_UNAVAILABLE;
import static io.inboard.e2e.bookinfo.LocalBookinfo.RATINGS_UNAVAILABLE;
import static io.inboard.e2e.bookinfo.LocalBookinfo.REVIEWS_UNAVAILABLE;
import static io.inboard.e2e.bookinfo.LocalBookinfo.reviewsVersion;
import static io.inboard.e2e.bookinfo.LocalBookinfo.starsColor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.inboard.examples.bookinfo.Workload;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Istio's traffic-management tasks against the real bookinfo workloads and a real control
 * plane, through real HTTP to productpage, applying Istio's own files with {@code inboardctl}.
 * Each task starts from Istio's DestinationRules and no VirtualService.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IstioTrafficTasksTest {

  /** details answers after this long, so that concurrent page loads overlap on it. */
  private static final int DETAILS_DELAY_MILLIS = 100;
  private static final Duration PROPAGATION = Duration.ofSeconds(20);

  private LocalBookinfo bookinfo;

  @BeforeAll
  void startMesh() throws Exception {
    bookinfo = LocalBookinfo.start(DETAILS_DELAY_MILLIS);
  }

  @AfterAll
  void stopMesh() {
    if (bookinfo != null) {
      bookinfo.close();
    }
  }

  @AfterEach
  void resetRouting() {
    bookinfo.resetRouting();
  }

  @Test
  @Order(1)
  void requestRouting_allV1_thenJasonGetsV2AndEveryoneElseV1() {
    bookinfo.apply("virtual-service-all-v1.yaml");
    awaitPages("", v -> v.equals("v1"));
    assertThat(versions("", 20)).containsOnly("v1");

    bookinfo.apply("virtual-service-reviews-test-v2.yaml");
    awaitPages("jason", v -> v.equals("v2"));
    assertThat(versions("jason", 15)).containsOnly("v2");
    assertThat(versions("", 15)).containsOnly("v1");
    assertThat(versions("alice", 10)).containsOnly("v1");
    HttpResponse<String> jason = bookinfo.page("jason");
    assertThat(starsColor(jason.body())).isEqualTo("black");
  }

  @Test
  @Order(2)
  void faultInjection_sevenSecondDelayForJason_showsReviewsUnavailableAfterTwoThreeSecondTries() {
    bookinfo.apply("virtual-service-all-v1.yaml");
    bookinfo.apply("virtual-service-reviews-test-v2.yaml");
    bookinfo.apply("virtual-service-ratings-test-delay.yaml");
    awaitPages("jason", v -> v.equals("none"));

    long start = System.nanoTime();
    HttpResponse<String> jason = bookinfo.page("jason");
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(jason.statusCode()).isEqualTo(200);
    assertThat(jason.body()).contains(REVIEWS_UNAVAILABLE).doesNotContain(DETAILS_UNAVAILABLE);
    // productpage tries reviews twice with 3 s each; reviews v2 waits for the delayed ratings
    assertThat(took).isBetween(Duration.ofMillis(5500), Duration.ofMillis(9000));

    start = System.nanoTime();
    HttpResponse<String> other = bookinfo.page("alice");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    assertThat(reviewsVersion(other.body())).isEqualTo("v1");
  }

  @Test
  @Order(3)
  void faultInjection_http500AbortForJason_showsRatingsUnavailableAtOnce() {
    bookinfo.apply("virtual-service-all-v1.yaml");
    bookinfo.apply("virtual-service-reviews-test-v2.yaml");
    bookinfo.apply("virtual-service-ratings-test-abort.yaml");
    await().atMost(PROPAGATION).untilAsserted(() ->
        assertThat(bookinfo.page("jason").body()).contains(RATINGS_UNAVAILABLE));

    for (int i = 0; i < 5; i++) {
      long start = System.nanoTime();
      HttpResponse<String> jason = bookinfo.page("jason");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
      assertThat(jason.body()).contains(RATINGS_UNAVAILABLE);
      assertThat(reviewsVersion(jason.body())).isEqualTo("v2");
      assertThat(starsColor(jason.body())).isEqualTo("none");
    }
    HttpResponse<String> other = bookinfo.page("alice");
    assertThat(reviewsVersion(other.body())).isEqualTo("v1");
    assertThat(other.body()).doesNotContain(RATINGS_UNAVAILABLE);
  }

  @Test
  @Order(4)
  void trafficShifting_fiftyFiftyV1V3_thenAllV3() {
    bookinfo.apply("virtual-service-all-v1.yaml");
    awaitPages("", v -> v.equals("v1"));

    bookinfo.apply("virtual-service-reviews-50-v3.yaml");
    awaitPages("", v -> v.equals("v3"));
    List<String> split = versionsFromApi(100);
    long v3 = split.stream().filter("v3"::equals).count();
    assertThat(split).containsOnly("v1", "v3");
    // 50%: binomial(100, 0.5) lies in 30..70 with probability > 0.9999
    assertThat(v3).isBetween(30L, 70L);

    bookinfo.apply("virtual-service-reviews-v3.yaml");
    await().atMost(PROPAGATION).untilAsserted(() ->
        assertThat(versionsFromApi(10)).containsOnly("v3"));
    assertThat(versionsFromApi(40)).containsOnly("v3");
    assertThat(starsColor(bookinfo.page("").body())).isEqualTo("red");
  }

  @Test
  @Order(5)
  void requestTimeouts_halfSecondOnReviewsWithTwoSecondRatingsDelay_pageInAboutOneSecond() {
    bookinfo.apply("task-timeouts-ratings-delay-2s.yaml");
    bookinfo.apply("task-timeouts-reviews-v2-timeout-0.5s.yaml");
    awaitPages("", v -> v.equals("none"));

    for (int i = 0; i < 3; i++) {
      long start = System.nanoTime();
      HttpResponse<String> page = bookinfo.page("");
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(page.body()).contains(REVIEWS_UNAVAILABLE);
      // two tries of 0.5 s each, plus details (100 ms here) and the page itself
      assertThat(took).isBetween(Duration.ofMillis(900), Duration.ofMillis(2500));
    }
  }

  @Test
  @Order(6)
  void circuitBreaking_oneConnectionOnePending_shedsConcurrentLoadWithOverflowInProductpageStats()
      throws Exception {
    bookinfo.apply("task-circuit-breaking-details.yaml");
    // the limits are in force once concurrent calls start being shed
    ExecutorService load = Executors.newFixedThreadPool(10);
    try {
      await().atMost(PROPAGATION).untilAsserted(() ->
          assertThat(concurrentDetailsCalls(load, 10)).contains(503));

      List<Integer> codes = new ArrayList<>();
      for (int wave = 0; wave < 4; wave++) {
        codes.addAll(concurrentDetailsCalls(load, 10));
      }
      long shed = codes.stream().filter(c -> c == 503).count();
      long ok = codes.stream().filter(c -> c == 200).count();
      assertThat(shed + ok).isEqualTo(codes.size());
      // 10 concurrent calls per wave, each holding details for 100 ms: one in flight and one
      // pending pass, the rest are shed. Page threads start at slightly different times, so a
      // wave may pass a few more.
      assertThat(ok).isBetween(4L, 24L);
      assertThat(shed).isBetween(16L, 36L);

      long overflow = overflowCount(bookinfo.workload(Workload.PRODUCTPAGE_V1).adminUrl());
      assertThat(overflow).isGreaterThanOrEqualTo(shed);
    } finally {
      load.shutdownNow();
    }
  }

  @Test
  @Order(7)
  void badConfig_invalidVirtualServiceRefusedWithFieldNamed_pageKeepsPreviousRouting() {
    bookinfo.apply("virtual-service-all-v1.yaml");
    awaitPages("", v -> v.equals("v1"));

    LocalBookinfo.Ctl refused = bookinfo.ctl("apply", "-f",
        "src/test/resources/bookinfo/virtual-service-reviews-bad-weight.yaml");

    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.err()).contains("VirtualService default/reviews",
        "spec.http[0].route[0].weight", "abc");
    assertThat(versions("", 15)).containsOnly("v1");
    assertThat(bookinfo.ctl("get", "VirtualService", "reviews").out()).contains("subset: v1")
        .doesNotContain("abc");
  }

  @Test
  @Order(8)
  void retries_flakyRatingsInstanceFailuresHiddenByTheRoutesRetries() {
    bookinfo.apply("virtual-service-reviews-v3.yaml");
    awaitPages("", v -> v.equals("v3"));
    // a second ratings instance that fails half its calls with 500 (Istio's v-faulty uses 503,
    // which the default retry policy already retries)
    bookinfo.startExtra(Workload.RATINGS_V1,
        bookinfo.options(Workload.RATINGS_V1, LocalBookinfo.SPARE_ADDRESS).failing(50));
    await("the flaky instance takes calls").atMost(PROPAGATION).untilAsserted(() ->
        assertThat(bookinfo.page("").body()).contains(RATINGS_UNAVAILABLE));

    bookinfo.apply("task-retries-ratings.yaml");
    await("retries in force").atMost(PROPAGATION).untilAsserted(() ->
        assertThat(pages(20)).noneMatch(p -> p.contains(RATINGS_UNAVAILABLE)));
    List<String> pages = pages(40);
    assertThat(pages).noneMatch(p -> p.contains(RATINGS_UNAVAILABLE))
        .allMatch(p -> starsColor(p).equals("red"));
    bookinfo.stopExtras();
  }

  @Test
  @Order(9)
  void workloadAdmin_showsIstioMetricsAndTheXdsConfigItAcked() throws Exception {
    bookinfo.page("jason");
    String admin = bookinfo.workload(Workload.PRODUCTPAGE_V1).adminUrl();

    String dump = adminGet(admin + "/debug/config_dump");
    // the gRPC side (reviews) and the HTTP side (details) each hold their listener, ACKed
    assertThat(dump).contains("\"xds_grpc\"", "\"xds_http\"",
        "\"reviews.default.svc.cluster.local:" + bookinfo.port + "\"",
        "\"details.default.svc.cluster.local:" + bookinfo.port + "\"", "\"ACKED\"")
        .doesNotContain("\"NACKED\"");
    assertThat(adminGet(admin + "/stats/prometheus")).contains("istio_requests_total{",
        "destination_workload=\"productpage-v1\"", "destination_service_name=\"details\"");
  }

  // --- helpers --------------------------------------------------------------------------------

  /** Waits until {@code user}'s page shows a reviews version (or "none") that {@code ok} takes. */
  private void awaitPages(String user, Predicate<String> ok) {
    await().atMost(PROPAGATION).pollInterval(Duration.ofMillis(200)).until(
        () -> reviewsVersion(bookinfo.page(user).body()), ok);
  }

  private List<String> versions(String user, int n) {
    List<String> v = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      v.add(reviewsVersion(bookinfo.page(user).body()));
    }
    return v;
  }

  private List<String> pages(int n) {
    List<String> p = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      p.add(bookinfo.page("").body());
    }
    return p;
  }

  private static final Pattern VERSION_JSON = Pattern.compile("\"version\":\"(v[123])\"");

  /** The answering version of {@code n} calls to productpage's reviews JSON API. */
  private List<String> versionsFromApi(int n) {
    List<String> v = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      HttpResponse<String> r = bookinfo.get("/api/v1/products/0/reviews");
      Matcher m = VERSION_JSON.matcher(r.body());
      v.add(r.statusCode() == 200 && m.find() ? m.group(1) : "status " + r.statusCode());
    }
    return v;
  }

  /** {@code n} concurrent calls to productpage's details API; their status codes. */
  private List<Integer> concurrentDetailsCalls(ExecutorService load, int n) {
    List<CompletableFuture<Integer>> calls = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      calls.add(CompletableFuture.supplyAsync(
          () -> bookinfo.get("/api/v1/products/0").statusCode(), load));
    }
    return calls.stream().map(CompletableFuture::join).toList();
  }

  private static final Pattern OVERFLOW = Pattern.compile(
      "istio_requests_total\\{[^}]*destination_service_name=\"details\"[^}]*"
          // Envoy's local reply for an overflow is a 503, which Istio's metrics report
          + "response_code=\"503\"[^}]*response_flags=\"UO\"[^}]*} ([0-9.eE+]+)");

  private static String adminGet(String url) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
        BodyHandlers.ofString()).body();
  }

  /** Calls to details that productpage shed for the connection-pool limit (flag UO). */
  private long overflowCount(String adminUrl) throws Exception {
    String stats = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(adminUrl + "/stats/prometheus")).build(),
        BodyHandlers.ofString()).body();
    long total = 0;
    Matcher m = OVERFLOW.matcher(stats);
    while (m.find()) {
      total += (long) Double.parseDouble(m.group(1));
    }
    return total;
  }
}
