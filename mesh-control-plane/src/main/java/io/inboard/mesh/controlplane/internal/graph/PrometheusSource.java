package io.inboard.mesh.controlplane.internal.graph;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The graph's traffic from a Prometheus server: Kiali's queries ({@link KialiQueries}) for each
 * namespace, sent at once as {@code GET <url>/api/v1/query?query=...}, each bounded by
 * {@code timeout}. A query that fails leaves its rows out and says why in the snapshot's
 * problems. Called on the admin server's thread, never on the ADS path.
 */
final class PrometheusSource implements TrafficSource {
  private final URI base;
  private final Duration timeout;
  private final HttpClient http;

  PrometheusSource(URI base, Duration timeout) {
    String s = base.toString();
    this.base = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  @Override
  public TrafficSnapshot traffic(Duration window, Set<String> namespaces) {
    Map<String, CompletableFuture<List<TrafficRow>>> running = new HashMap<>();
    List<String> order = new ArrayList<>();
    for (String ns : namespaces) {
      for (String q : List.of(KialiQueries.unservedIncoming(ns, window),
          KialiQueries.incoming(ns, window), KialiQueries.outgoing(ns, window),
          KialiQueries.security(ns, window), KialiQueries.responseTime(ns, window))) {
        order.add(q);
        running.computeIfAbsent(q, this::query);
      }
    }
    List<String> problems = new ArrayList<>();
    List<TrafficRow> requests = new ArrayList<>();
    List<TrafficRow> security = new ArrayList<>();
    List<TrafficRow> latencies = new ArrayList<>();
    double seconds = window.toSeconds();
    // per namespace: unserved incoming, incoming (destination), outgoing (source), as Kiali
    for (int i = 0; i < order.size(); i++) {
      List<TrafficRow> rows = await(order.get(i), running.get(order.get(i)), problems);
      switch (i % 5) {
        case 0, 1, 2 -> rows.forEach(r -> requests.add(
            new TrafficRow(r.labels(), r.value(), r.value() * seconds)));
        case 3 -> security.addAll(rows);
        default -> latencies.addAll(rows);
      }
    }
    return new TrafficSnapshot("prometheus", requests, security, latencies, problems);
  }

  @Override
  public Duration maxWindow() {
    return Duration.ofDays(1);
  }

  private CompletableFuture<List<TrafficRow>> query(String promql) {
    URI uri = URI.create(base + "/api/v1/query?query="
        + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    return http.sendAsync(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
        HttpResponse.BodyHandlers.ofString()).thenApply(r -> vector(r.statusCode(), r.body()));
  }

  private List<TrafficRow> await(String promql, CompletableFuture<List<TrafficRow>> f,
      List<String> problems) {
    try {
      return f.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      problems.add("prometheus " + base + ": interrupted");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      String message = cause instanceof IllegalArgumentException ? cause.getMessage()
          : cause.getClass().getSimpleName()
              + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
      problems.add("prometheus " + base + ": " + message + " for query " + promql);
    } catch (TimeoutException e) {
      f.cancel(true);
      problems.add("prometheus " + base + ": no answer within " + timeout.toMillis()
          + " ms for query " + promql);
    }
    return List.of();
  }

  /**
   * The rows of a {@code /api/v1/query} answer.
   *
   * @throws IllegalArgumentException naming what was wrong, for an error answer or one that is
   *     not an instant vector
   */
  static List<TrafficRow> vector(int status, String body) {
    JsonObject root;
    try {
      JsonElement e = JsonParser.parseString(body);
      if (!e.isJsonObject()) {
        throw new IllegalArgumentException("answer: not a JSON object (expected: Prometheus"
            + " API JSON, HTTP " + status + ")");
      }
      root = e.getAsJsonObject();
    } catch (JsonParseException e) {
      throw new IllegalArgumentException("answer: not JSON (expected: Prometheus API JSON, HTTP "
          + status + ")");
    }
    String state = root.has("status") ? root.get("status").getAsString() : "";
    if (!state.equals("success")) {
      throw new IllegalArgumentException("status: '" + state + "' (expected: success); "
          + (root.has("errorType") ? root.get("errorType").getAsString() + ": " : "")
          + (root.has("error") ? root.get("error").getAsString() : "HTTP " + status));
    }
    JsonObject data = root.getAsJsonObject("data");
    String type = data == null || !data.has("resultType") ? ""
        : data.get("resultType").getAsString();
    if (!type.equals("vector")) {
      throw new IllegalArgumentException("data.resultType: '" + type + "' (expected: vector)");
    }
    List<TrafficRow> rows = new ArrayList<>();
    for (JsonElement e : data.getAsJsonArray("result")) {
      JsonObject sample = e.getAsJsonObject();
      Map<String, String> labels = new HashMap<>();
      sample.getAsJsonObject("metric").entrySet()
          .forEach(l -> labels.put(l.getKey(), l.getValue().getAsString()));
      JsonArray value = sample.getAsJsonArray("value");
      rows.add(new TrafficRow(labels, number(value.get(1).getAsString()), 0));
    }
    return rows;
  }

  private static double number(String raw) {
    return switch (raw) {
      case "NaN" -> Double.NaN;
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(raw);
    };
  }

  @Override
  public void close() {
    // the JDK client has nothing to release before Java 21
  }
}
