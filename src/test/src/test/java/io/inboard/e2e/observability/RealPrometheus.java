package io.inboard.e2e.observability;

import static org.awaitility.Awaitility.await;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The real Prometheus (Debian's {@code prometheus}, 2.42) on a free loopback port, scraping the
 * given admin servers' {@code /stats/prometheus} every second, as Istio's scrape annotations ask,
 * with its data in a temporary directory. {@code .ci/run} installs it.
 */
public final class RealPrometheus implements AutoCloseable {

  private static final String BINARY = "/usr/bin/prometheus";

  private final Process process;
  private final Path dir;
  public final URI url;
  private final HttpClient http = HttpClient.newHttpClient();

  private RealPrometheus(Process process, Path dir, URI url) {
    this.process = process;
    this.dir = dir;
    this.url = url;
  }

  /**
   * Starts Prometheus scraping {@code targets} ({@code host:port} of admin servers) and waits
   * until it is ready.
   *
   * @throws IllegalStateException when Prometheus is not installed, saying how to install it
   */
  public static RealPrometheus start(List<String> targets) throws IOException {
    if (!Files.isExecutable(Path.of(BINARY))) {
      throw new IllegalStateException(BINARY + " is missing: install it with "
          + "'apt-get install prometheus' (.ci/run does)");
    }
    Path dir = Files.createTempDirectory("inboard-prometheus");
    String config = """
        global:
          scrape_interval: 1s
          evaluation_interval: 1s
        scrape_configs:
          - job_name: inboard-workloads
            metrics_path: /stats/prometheus
            static_configs:
              - targets: [%s]
        """.formatted(targets.stream().map(t -> "'" + t + "'").collect(Collectors.joining(", ")));
    Files.writeString(dir.resolve("prometheus.yml"), config);
    int port = freePort();
    Process p = new ProcessBuilder(BINARY, "--config.file=" + dir.resolve("prometheus.yml"),
        "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
        "--log.level=warn")
        .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile())
        .start();
    RealPrometheus prometheus =
        new RealPrometheus(p, dir, URI.create("http://127.0.0.1:" + port));
    try {
      await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
          .until(() -> prometheus.get("/-/ready").contains("Ready"));
    } catch (RuntimeException e) {
      prometheus.close();
      throw new IllegalStateException("Prometheus did not become ready; its log:\n"
          + Files.readString(dir.resolve("prometheus.log")), e);
    }
    return prometheus;
  }

  /** Whether every target has been scraped successfully at least once. */
  public boolean allTargetsUp() {
    JsonArray active = JsonParser.parseString(get("/api/v1/targets")).getAsJsonObject()
        .getAsJsonObject("data").getAsJsonArray("activeTargets");
    for (var t : active) {
      if (!"up".equals(t.getAsJsonObject().get("health").getAsString())) {
        return false;
      }
    }
    return !active.isEmpty();
  }

  /** The result of an instant query: each series' labels and value. */
  public List<Series> query(String promql) {
    JsonObject body = JsonParser.parseString(
        get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)))
        .getAsJsonObject();
    if (!"success".equals(body.get("status").getAsString())) {
      throw new IllegalStateException("query failed: " + promql + ": " + body);
    }
    List<Series> out = new ArrayList<>();
    for (var r : body.getAsJsonObject("data").getAsJsonArray("result")) {
      JsonObject o = r.getAsJsonObject();
      Map<String, String> labels = new TreeMap<>();
      o.getAsJsonObject("metric").entrySet()
          .forEach(e -> labels.put(e.getKey(), e.getValue().getAsString()));
      out.add(new Series(labels, Double.parseDouble(o.getAsJsonArray("value").get(1)
          .getAsString())));
    }
    return out;
  }

  private String get(String path) {
    try {
      return http.send(HttpRequest.newBuilder(url.resolve(path))
          .timeout(Duration.ofSeconds(10)).build(), BodyHandlers.ofString()).body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException ignored) {
      // a temp directory left behind is harmless
    }
  }

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** One series of a query result. */
  public record Series(Map<String, String> labels, double value) {
    public String label(String name) {
      return labels.get(name);
    }
  }
}
