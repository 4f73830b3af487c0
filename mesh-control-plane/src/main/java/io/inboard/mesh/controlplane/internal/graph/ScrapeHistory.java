package io.inboard.mesh.controlplane.internal.graph;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The timestamped scrapes of every workload, kept for the longest window, and the rates and
 * latencies over a window computed from them: per series the counter growth between the first
 * and last scrape inside the window ({@link CounterWindow}), divided by the seconds between
 * them; rows are then summed across workloads by their full label set, as Prometheus's
 * {@code sum by} would for replicas. p95 comes from the bucket growth of
 * {@code istio_request_duration_milliseconds_bucket} summed per (reporter, source, destination).
 */
final class ScrapeHistory {
  static final String REQUESTS = "istio_requests_total";
  static final String DURATION_BUCKETS = "istio_request_duration_milliseconds_bucket";
  static final Set<String> METRICS = Set.of(REQUESTS, DURATION_BUCKETS);

  /** The labels a latency is grouped by: who reported, and the two ends. */
  private static final List<String> LATENCY_LABELS = List.of("reporter", "source_cluster",
      "source_workload_namespace", "source_workload", "source_canonical_service",
      "source_canonical_revision", "source_app", "source_version", "destination_cluster",
      "destination_service_namespace", "destination_service", "destination_service_name",
      "destination_workload_namespace", "destination_workload",
      "destination_canonical_service", "destination_canonical_revision", "destination_app",
      "destination_version");

  private final Duration retention;
  private final Map<String, Deque<Scrape>> byTarget = new HashMap<>();
  // one Series object per distinct series and target, shared by all its scrapes: a series'
  // labels cost ~1 KiB, and a target keeps ~120 scrapes of hundreds of series
  private final Map<String, Map<Scrape.Series, Scrape.Series>> interned = new HashMap<>();

  /** Keeps scrapes for {@code retention} (the longest window asked for) and one more. */
  ScrapeHistory(Duration retention) {
    this.retention = retention;
  }

  synchronized void add(String target, Scrape scrape) {
    Map<Scrape.Series, Scrape.Series> known = interned.computeIfAbsent(target,
        t -> new HashMap<>());
    Map<Scrape.Series, Double> values = new HashMap<>();
    scrape.values().forEach((series, v) -> values.put(known.computeIfAbsent(series, k -> k), v));
    scrape = new Scrape(scrape.atMillis(), values);
    Deque<Scrape> scrapes = byTarget.computeIfAbsent(target, t -> new ArrayDeque<>());
    scrapes.addLast(scrape);
    long oldest = scrape.atMillis() - retention.toMillis();
    // one scrape at or before the oldest window start stays, so that a full window has a base
    while (scrapes.size() > 2 && second(scrapes).atMillis() <= oldest) {
      scrapes.removeFirst();
    }
  }

  private static Scrape second(Deque<Scrape> scrapes) {
    var it = scrapes.iterator();
    it.next();
    return it.next();
  }

  /** Forgets targets not in {@code live} whose newest scrape is older than the retention. */
  synchronized void expire(Set<String> live, long nowMillis) {
    byTarget.entrySet().removeIf(e -> !live.contains(e.getKey())
        && e.getValue().peekLast().atMillis() < nowMillis - retention.toMillis());
    interned.keySet().retainAll(byTarget.keySet());
  }

  /**
   * The rows of the window ending at {@code nowMillis}; with {@code namespaces} non-empty, only
   * rows with an end (source, destination workload or service) in one of them.
   */
  TrafficSnapshot snapshot(Duration window, long nowMillis, Set<String> namespaces,
      List<String> problems) {
    Map<Map<String, String>, double[]> requests = new LinkedHashMap<>();
    Map<Map<String, String>, Map<Double, Double>> buckets = new LinkedHashMap<>();
    long start = nowMillis - window.toMillis();
    List<List<Scrape>> windows = new ArrayList<>();
    synchronized (this) {
      for (Deque<Scrape> scrapes : byTarget.values()) {
        windows.add(scrapes.stream().filter(s -> s.atMillis() >= start
            && s.atMillis() <= nowMillis).toList());
      }
    }
    for (List<Scrape> scrapes : windows) {
      double seconds = CounterWindow.seconds(scrapes);
      if (seconds <= 0) {
        continue;
      }
      CounterWindow.increases(scrapes).forEach((series, growth) -> {
        if (!inNamespaces(series.labels(), namespaces)) {
          return;
        }
        if (series.name().equals(REQUESTS)) {
          double[] sum = requests.computeIfAbsent(series.labels(), l -> new double[2]);
          sum[0] += growth / seconds;
          sum[1] += growth;
        } else if (series.name().equals(DURATION_BUCKETS)) {
          Map<String, String> key = new LinkedHashMap<>();
          for (String l : LATENCY_LABELS) {
            String v = series.labels().get(l);
            if (v != null) {
              key.put(l, v);
            }
          }
          double le = bound(series.labels().getOrDefault("le", ""));
          if (!Double.isNaN(le)) {
            buckets.computeIfAbsent(key, k -> new HashMap<>()).merge(le, growth, Double::sum);
          }
        }
      });
    }
    List<TrafficRow> destination = new ArrayList<>();
    List<TrafficRow> others = new ArrayList<>();
    requests.forEach((labels, sum) -> {
      TrafficRow row = new TrafficRow(labels, sum[0], sum[1]);
      ("destination".equals(labels.get("reporter")) ? destination : others).add(row);
    });
    List<TrafficRow> ordered = new ArrayList<>(destination);
    ordered.addAll(others);
    List<TrafficRow> latencies = new ArrayList<>();
    buckets.forEach((labels, byBound) -> {
      double p95 = HistogramQuantile.of(0.95, byBound);
      if (p95 > 0) {
        latencies.add(new TrafficRow(labels, p95,
            byBound.getOrDefault(Double.POSITIVE_INFINITY, 0.0)));
      }
    });
    return new TrafficSnapshot("scrape", ordered, destination, latencies, problems);
  }

  private static boolean inNamespaces(Map<String, String> labels, Set<String> namespaces) {
    return namespaces.isEmpty()
        || namespaces.contains(labels.get("source_workload_namespace"))
        || namespaces.contains(labels.get("destination_workload_namespace"))
        || namespaces.contains(labels.get("destination_service_namespace"));
  }

  private static double bound(String le) {
    if (le.equals("+Inf") || le.equals("Inf")) {
      return Double.POSITIVE_INFINITY;
    }
    try {
      return Double.parseDouble(le);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }
}
