package io.inboard.mesh.controlplane.internal.graph;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The graph's traffic without Prometheus: every {@code interval} (and when the graph is asked
 * for and the last round is over a second old) it GETs each connected workload's
 * {@code http://<INBOARD_ADMIN_ADDRESS>/stats/prometheus}, all at once, each bounded by
 * {@code timeout}, and keeps the Istio request metrics in a {@link ScrapeHistory}. It runs on
 * its own thread and the HTTP client's; the ADS path never waits for it.
 */
final class WorkloadScraper implements TrafficSource {
  private static final Logger log = LoggerFactory.getLogger(WorkloadScraper.class);

  private final Supplier<List<ScrapeTarget>> targets;
  private final Duration timeout;
  private final Clock clock;
  private final ScrapeHistory history;
  private final Duration retention;
  private final ScheduledExecutorService thread;
  private final HttpClient http;
  private final Map<String, ScrapeStatus> status = new ConcurrentHashMap<>();
  private volatile long lastRoundMillis;

  WorkloadScraper(Supplier<List<ScrapeTarget>> targets, Duration interval, Duration timeout,
      Duration retention, Clock clock) {
    this.targets = targets;
    this.timeout = timeout;
    this.clock = clock;
    this.retention = retention;
    this.history = new ScrapeHistory(retention);
    this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "inboard-graph-scraper");
      t.setDaemon(true);
      return t;
    });
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    thread.scheduleWithFixedDelay(this::roundQuietly, 0, interval.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  @Override
  public TrafficSnapshot traffic(Duration window, Set<String> namespaces) {
    refresh();
    List<String> problems = new ArrayList<>();
    status.forEach((nodeId, s) -> {
      if (!s.ok()) {
        problems.add("workload " + nodeId + ": GET http://" + s.address() + "/stats/prometheus: "
            + s.error());
      }
    });
    return history.snapshot(window, clock.millis(), namespaces, problems);
  }

  @Override
  public Duration maxWindow() {
    return retention;
  }

  /** How the last scrape of each workload went, by node id. */
  Map<String, ScrapeStatus> status() {
    return Map.copyOf(status);
  }

  /** Runs a round now, on the scraper's thread, unless one finished within the last second. */
  void refresh() {
    if (clock.millis() - lastRoundMillis < 1000) {
      return;
    }
    try {
      thread.submit(this::roundQuietly).get(timeout.toMillis() + 2000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException | java.util.concurrent.RejectedExecutionException e) {
      // the graph is drawn from what is there; the scrape status says what failed
    }
  }

  private void roundQuietly() {
    try {
      round();
    } catch (RuntimeException e) {
      log.warn("service graph: scrape round failed", e);
    }
  }

  private void round() {
    List<ScrapeTarget> current = targets.get();
    List<CompletableFuture<Void>> pending = new ArrayList<>();
    Set<String> live = new HashSet<>();
    Set<String> liveNodes = new HashSet<>();
    for (ScrapeTarget t : current) {
      live.add(t.key());
      liveNodes.add(t.nodeId());
      pending.add(scrape(t));
    }
    try {
      CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
          .get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // each scrape records its own outcome
    }
    status.keySet().retainAll(liveNodes);
    history.expire(live, clock.millis());
    lastRoundMillis = clock.millis();
  }

  private CompletableFuture<Void> scrape(ScrapeTarget t) {
    URI uri = URI.create("http://" + t.address() + "/stats/prometheus");
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .thenAccept(response -> {
          if (response.statusCode() != 200) {
            failed(t, "HTTP " + response.statusCode() + " (expected: 200)");
            return;
          }
          Map<Scrape.Series, Double> values = new HashMap<>();
          for (MetricSample s : PrometheusText.parse(response.body(), ScrapeHistory.METRICS)) {
            values.merge(new Scrape.Series(s.name(), s.labels()), s.value(), Double::sum);
          }
          history.add(t.key(), new Scrape(clock.millis(), values));
          status.put(t.nodeId(), new ScrapeStatus(t.address(), clock.instant(), ""));
        })
        .exceptionally(e -> {
          Throwable cause = e.getCause() != null ? e.getCause() : e;
          failed(t, cause.getClass().getSimpleName()
              + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
          return null;
        });
  }

  private void failed(ScrapeTarget t, String error) {
    status.put(t.nodeId(), new ScrapeStatus(t.address(), clock.instant(), error));
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
