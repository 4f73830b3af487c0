package io.inboard.mesh.controlplane.internal.graph;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How much each counter grew over a run of scrapes, as Prometheus's {@code increase()} sees it
 * without extrapolation: a value lower than the one before is a counter reset (the process
 * restarted), after which the new value is all growth. A series missing from the first scrape
 * but present later started at 0 within the window: the workload was scraped without it, so its
 * first requests are counted, not lost as Prometheus's {@code rate()} would lose them.
 */
final class CounterWindow {
  private CounterWindow() {}

  /**
   * The growth of each series from the first to the last of {@code scrapes} (oldest first);
   * empty with fewer than two scrapes.
   */
  static Map<Scrape.Series, Double> increases(List<Scrape> scrapes) {
    Map<Scrape.Series, Double> growth = new HashMap<>();
    if (scrapes.size() < 2) {
      return growth;
    }
    Map<Scrape.Series, Double> last = new HashMap<>(scrapes.get(0).values());
    for (int i = 1; i < scrapes.size(); i++) {
      for (Map.Entry<Scrape.Series, Double> e : scrapes.get(i).values().entrySet()) {
        double now = e.getValue();
        if (Double.isNaN(now)) {
          continue;
        }
        Double before = last.put(e.getKey(), now);
        double delta = before == null ? now : now >= before ? now - before : now;
        growth.merge(e.getKey(), delta, Double::sum);
      }
    }
    return growth;
  }

  /** The seconds between the first and the last of {@code scrapes}; 0 with fewer than two. */
  static double seconds(List<Scrape> scrapes) {
    if (scrapes.size() < 2) {
      return 0;
    }
    return (scrapes.get(scrapes.size() - 1).atMillis() - scrapes.get(0).atMillis()) / 1000.0;
  }
}
