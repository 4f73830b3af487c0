package io.inboard.mesh.controlplane.internal.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScrapeHistoryTest {
  private static final Duration MINUTE = Duration.ofSeconds(60);

  private static Scrape.Series requests(String reporter, String code) {
    return new Scrape.Series(ScrapeHistory.REQUESTS,
        GraphAssemblerTest.labels(reporter, "reviews-v2", "ratings-v1", code));
  }

  private static Scrape.Series bucket(String reporter, String code, String le) {
    Map<String, String> l = new HashMap<>(
        GraphAssemblerTest.labels(reporter, "reviews-v2", "ratings-v1", code));
    l.put("le", le);
    return new Scrape.Series(ScrapeHistory.DURATION_BUCKETS, l);
  }

  @Test
  void ratesAreCounterGrowthOverTheWindow_destinationRowsFirst() {
    ScrapeHistory h = new ScrapeHistory(Duration.ofMinutes(10));
    h.add("client", new Scrape(0, Map.of(requests("source", "200"), 10.0)));
    h.add("client", new Scrape(10_000, Map.of(requests("source", "200"), 30.0)));
    h.add("server", new Scrape(0, Map.of(requests("destination", "200"), 10.0)));
    h.add("server", new Scrape(10_000, Map.of(requests("destination", "200"), 30.0,
        requests("destination", "500"), 5.0)));

    TrafficSnapshot s = h.snapshot(MINUTE, 10_000, Set.of(), List.of());

    assertThat(s.requests()).extracting(r -> r.label("reporter"))
        .containsExactly("destination", "destination", "source");
    assertThat(s.requests()).filteredOn(r -> r.label("response_code").equals("500"))
        .singleElement().satisfies(r -> {
          assertThat(r.value()).isCloseTo(0.5, within(1e-9));
          assertThat(r.count()).isEqualTo(5.0);
        });
    assertThat(s.security()).hasSize(2);
  }

  @Test
  void scrapesBeforeTheWindowAreLeftOut() {
    ScrapeHistory h = new ScrapeHistory(Duration.ofMinutes(10));
    h.add("server", new Scrape(0, Map.of(requests("destination", "200"), 0.0)));
    h.add("server", new Scrape(100_000, Map.of(requests("destination", "200"), 1000.0)));
    h.add("server", new Scrape(130_000, Map.of(requests("destination", "200"), 1000.0)));
    h.add("server", new Scrape(160_000, Map.of(requests("destination", "200"), 1060.0)));

    TrafficSnapshot s = h.snapshot(MINUTE, 160_000, Set.of(), List.of());

    // only 100 s..160 s: 60 requests in 60 s, not the 1060 since 0 s
    assertThat(s.requests()).singleElement().satisfies(r -> {
      assertThat(r.value()).isCloseTo(1.0, within(1e-9));
      assertThat(r.count()).isEqualTo(60.0);
    });
  }

  @Test
  void p95FromBucketGrowth_perReporterAndEnds() {
    ScrapeHistory h = new ScrapeHistory(Duration.ofMinutes(10));
    h.add("server", new Scrape(0, Map.of()));
    // 100 requests: 50 of 200 in (0, 5], 50 of 500 in (5, 10]; codes are summed per edge
    h.add("server", new Scrape(5_000, Map.of(
        bucket("destination", "200", "5"), 50.0, bucket("destination", "200", "10"), 50.0,
        bucket("destination", "200", "+Inf"), 50.0,
        bucket("destination", "500", "5"), 0.0, bucket("destination", "500", "10"), 50.0,
        bucket("destination", "500", "+Inf"), 50.0)));

    TrafficSnapshot s = h.snapshot(MINUTE, 5_000, Set.of(), List.of());

    // rank 95 of 100 is 45/50 into (5, 10]
    assertThat(s.latencies()).singleElement().satisfies(r -> {
      assertThat(r.value()).isCloseTo(9.5, within(1e-9));
      assertThat(r.label("reporter")).isEqualTo("destination");
      assertThat(r.labels()).doesNotContainKeys("le", "response_code");
    });
  }

  @Test
  void namespacesFilter_keepsRowsWithAnEndInThem() {
    ScrapeHistory h = new ScrapeHistory(Duration.ofMinutes(10));
    h.add("server", new Scrape(0, Map.of(requests("destination", "200"), 0.0)));
    h.add("server", new Scrape(5_000, Map.of(requests("destination", "200"), 5.0)));

    assertThat(h.snapshot(MINUTE, 5_000, Set.of("default"), List.of()).requests()).hasSize(1);
    assertThat(h.snapshot(MINUTE, 5_000, Set.of("other"), List.of()).requests()).isEmpty();
  }
}
