package io.inboard.mesh.controlplane.internal.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CounterWindowTest {
  private static final Scrape.Series OK = new Scrape.Series("istio_requests_total",
      Map.of("response_code", "200"));
  private static final Scrape.Series FAILED = new Scrape.Series("istio_requests_total",
      Map.of("response_code", "500"));

  @Test
  void growthIsLastMinusFirst_andRateDividesByTheSecondsBetween() {
    List<Scrape> scrapes = List.of(new Scrape(10_000, Map.of(OK, 100.0)),
        new Scrape(15_000, Map.of(OK, 130.0)), new Scrape(20_000, Map.of(OK, 160.0)));

    assertThat(CounterWindow.increases(scrapes)).containsExactly(Map.entry(OK, 60.0));
    assertThat(CounterWindow.seconds(scrapes)).isEqualTo(10.0);
  }

  @Test
  void counterReset_countsTheNewValueAsGrowth() {
    // 100 -> 130 (+30), restart, 20 (+20), 50 (+30)
    List<Scrape> scrapes = List.of(new Scrape(0, Map.of(OK, 100.0)),
        new Scrape(5_000, Map.of(OK, 130.0)), new Scrape(10_000, Map.of(OK, 20.0)),
        new Scrape(15_000, Map.of(OK, 50.0)));

    assertThat(CounterWindow.increases(scrapes)).containsEntry(OK, 80.0);
  }

  @Test
  void seriesFirstSeenAfterTheFirstScrape_growsFromZero() {
    List<Scrape> scrapes = List.of(new Scrape(0, Map.of(OK, 5.0)),
        new Scrape(5_000, Map.of(OK, 5.0, FAILED, 3.0)));

    assertThat(CounterWindow.increases(scrapes)).containsEntry(OK, 0.0).containsEntry(FAILED, 3.0);
  }

  @Test
  void oneScrape_hasNoGrowth() {
    List<Scrape> one = List.of(new Scrape(0, Map.of(OK, 5.0)));

    assertThat(CounterWindow.increases(one)).isEmpty();
    assertThat(CounterWindow.seconds(one)).isZero();
  }
}
