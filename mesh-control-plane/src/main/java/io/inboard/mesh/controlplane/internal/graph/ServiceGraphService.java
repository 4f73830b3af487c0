package io.inboard.mesh.controlplane.internal.graph;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import io.inboard.mesh.controlplane.WorkloadStatus;
import io.inboard.mesh.controlplane.internal.ads.WorkloadMetadata;
import io.inboard.mesh.controlplane.internal.ads.WorkloadTracker;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The service graph behind the admin server's {@code GET /ui} and {@code GET /api/v1/graph}.
 *
 * <p>{@code GET /api/v1/graph?duration=60s&namespaces=a,b} (duration default 60 s; namespaces
 * default: every namespace with a connected workload, and the default namespace) answers:
 *
 * <pre>{@code
 * {"duration": "60s", "durationSeconds": 60, "source": "scrape" | "prometheus",
 *  "generatedAt": "<instant>",
 *  "nodes": [{"id": "default/reviews-v2", "nodeType": "workload" | "service" | "unknown",
 *             "namespace", "workload", "app", "version", "service",
 *             "health": "healthy" | "degraded" | "failure", "rpsIn", "rpsOut", "idle",
 *             "xds": {"state": "ACK" | "NACK" | "PENDING", "nacks", "lastNack"}}],
 *  "edges": [{"id": "default/productpage-v1 -> default/reviews-v2", "source", "target",
 *             "protocol": "http" | "grpc", "rps", "requests", "errorPercent", "p95Ms",
 *             "mtlsPercent", "health",
 *             "responses": {"200": {"rps", "percent", "flags": {"-": 100.0}}}}],
 *  "workloads": [{"id": "default/reviews-v2", "nodeId", "adminAddress",
 *                 "xds": {...}, "scrape": {"state": "ok" | "error", "at", "error"}}],
 *  "problems": ["workload ...: GET http://.../stats/prometheus: ..."]}
 * }</pre>
 *
 * {@code p95Ms} and {@code mtlsPercent} are {@code null} when unknown; a {@code nodeType}
 * {@code service} node ({@code id} {@code service:<ns>/<name>}) stands for requests that failed
 * before reaching any workload. A bad {@code duration} gives 400 with {@code error}.
 */
public final class ServiceGraphService implements AutoCloseable {
  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(ServiceGraphService.class);

  /**
   * How the graph gets its traffic.
   *
   * @param prometheusUrl a Prometheus server to ask Kiali's queries, or null to scrape the
   *     workloads' admin servers
   * @param scrapeInterval how often workloads are scraped (without Prometheus)
   * @param timeout the bound of each scrape and each Prometheus query
   */
  public record Settings(URI prometheusUrl, Duration scrapeInterval, Duration timeout) {}

  /** The longest window the scraped history answers for, as Kiali's default graph window. */
  static final Duration SCRAPE_RETENTION = Duration.ofMinutes(10);

  private final WorkloadTracker tracker;
  private final String defaultNamespace;
  private final TrafficSource source;
  private final WorkloadScraper scraper;
  private final Clock clock;
  private final byte[] page;

  private ServiceGraphService(Settings s, WorkloadTracker tracker, String defaultNamespace,
      Clock clock) {
    this.tracker = tracker;
    this.defaultNamespace = defaultNamespace;
    this.clock = clock;
    this.page = page();
    if (s.prometheusUrl() != null) {
      this.scraper = null;
      this.source = new PrometheusSource(s.prometheusUrl(), s.timeout());
    } else {
      this.scraper = new WorkloadScraper(this::targets, s.scrapeInterval(), s.timeout(),
          SCRAPE_RETENTION, clock);
      this.source = scraper;
    }
  }

  /** Starts scraping (without Prometheus) and serving. */
  public static ServiceGraphService start(Settings settings, WorkloadTracker tracker,
      String defaultNamespace) {
    return new ServiceGraphService(settings, tracker, defaultNamespace, Clock.systemUTC());
  }

  /** {@code GET /ui}: the page. */
  public void page(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    if (!path.equals("/ui") && !path.equals("/ui/")) {
      respond(ex, 404, "application/json", error("path: " + path + " (expected: /ui)"));
      return;
    }
    if (!ex.getRequestMethod().equals("GET")) {
      respond(ex, 405, "application/json", error(ex.getRequestMethod() + " /ui (expected: GET)"));
      return;
    }
    respond(ex, 200, "text/html", page);
  }

  /** {@code GET /api/v1/graph}: the graph as JSON (see the class comment). */
  public void api(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    if (!path.equals("/api/v1/graph")) {
      respond(ex, 404, "application/json", error("path: " + path + " (expected: /api/v1/graph)"));
      return;
    }
    if (!ex.getRequestMethod().equals("GET")) {
      respond(ex, 405, "application/json",
          error(ex.getRequestMethod() + " /api/v1/graph (expected: GET)"));
      return;
    }
    Map<String, String> q = query(ex.getRequestURI().getRawQuery());
    Duration window;
    try {
      window = GraphWindow.parse(q.getOrDefault("duration", "60s"), source.maxWindow());
    } catch (IllegalArgumentException e) {
      respond(ex, 400, "application/json", error(e.getMessage()));
      return;
    }
    Set<String> namespaces = new TreeSet<>();
    Arrays.stream(q.getOrDefault("namespaces", "").split(",")).map(String::trim)
        .filter(n -> !n.isEmpty()).forEach(namespaces::add);
    String json;
    try {
      json = new GsonBuilder().setPrettyPrinting().serializeNulls().create()
          .toJson(graph(window, namespaces)) + "\n";
    } catch (RuntimeException e) {
      log.error("service graph failed", e);
      respond(ex, 500, "application/json", error("graph: " + e));
      return;
    }
    respond(ex, 200, "application/json", json.getBytes(StandardCharsets.UTF_8));
  }

  /** The graph of the last {@code window}; every namespace when {@code namespaces} is empty. */
  JsonObject graph(Duration window, Set<String> namespaces) {
    List<WorkloadStatus> workloads = tracker.workloads();
    Set<String> asked = namespaces;
    if (asked.isEmpty() && scraper == null) {
      asked = new LinkedHashSet<>();
      asked.add(defaultNamespace);
      for (WorkloadStatus w : workloads) {
        asked.add(w.namespace());
      }
    }
    TrafficSnapshot snapshot = source.traffic(window, asked);
    Map<String, WorkloadStatus> byId = new HashMap<>();
    for (WorkloadStatus w : workloads) {
      if (!w.name().isEmpty()) {
        byId.putIfAbsent(w.namespace() + "/" + w.name(), w);
      }
    }
    GraphAssembler assembler = new GraphAssembler((ns, name) -> Optional
        .ofNullable(byId.get(ns + "/" + name))
        .map(w -> new GraphAssembler.AppVersion(w.labels().getOrDefault("app", ""),
            w.labels().getOrDefault("version", ""))));
    for (WorkloadStatus w : workloads) {
      if (w.connected() && !w.name().isEmpty()
          && (namespaces.isEmpty() || namespaces.contains(w.namespace()))) {
        assembler.idle(GraphNode.workload(w.namespace(), w.name(),
            w.labels().getOrDefault("app", ""), w.labels().getOrDefault("version", "")));
      }
    }
    ServiceGraph g = assembler.assemble(snapshot);
    Map<String, double[]> rates = new HashMap<>();
    for (GraphEdge e : g.edges()) {
      rates.computeIfAbsent(e.source(), k -> new double[2])[1] += e.rps();
      rates.computeIfAbsent(e.target(), k -> new double[2])[0] += e.rps();
    }
    JsonObject o = new JsonObject();
    o.addProperty("duration", window.toSeconds() + "s");
    o.addProperty("durationSeconds", window.toSeconds());
    o.addProperty("source", snapshot.source());
    o.addProperty("generatedAt", clock.instant().toString());
    JsonArray nodes = new JsonArray();
    for (GraphNode n : g.nodes()) {
      double[] r = rates.getOrDefault(n.id(), new double[2]);
      JsonObject node = GraphJson.node(n, g.nodeHealth().get(n.id()), r[0], r[1],
          !rates.containsKey(n.id()));
      WorkloadStatus w = byId.get(n.id());
      if (w != null && n.nodeType().equals("workload")) {
        node.add("xds", GraphJson.xds(XdsState.of(w)));
      }
      nodes.add(node);
    }
    o.add("nodes", nodes);
    JsonArray edges = new JsonArray();
    g.edges().forEach(e -> edges.add(GraphJson.edge(e)));
    o.add("edges", edges);
    o.add("workloads", workloads(workloads));
    o.add("problems", GraphJson.strings(snapshot.problems()));
    return o;
  }

  private JsonArray workloads(List<WorkloadStatus> workloads) {
    Map<String, WorkloadMetadata> metadata = tracker.connectedMetadata();
    Map<String, ScrapeStatus> scrapes = scraper == null ? Map.of() : scraper.status();
    JsonArray a = new JsonArray();
    for (WorkloadStatus w : workloads) {
      JsonObject o = new JsonObject();
      o.addProperty("id", w.namespace() + "/" + w.name());
      o.addProperty("nodeId", w.nodeId());
      o.addProperty("connected", w.connected());
      WorkloadMetadata m = metadata.get(w.nodeId());
      o.addProperty("adminAddress", m == null ? "" : m.adminAddress());
      o.add("xds", GraphJson.xds(XdsState.of(w)));
      ScrapeStatus s = scrapes.get(w.nodeId());
      if (s != null) {
        o.add("scrape", GraphJson.scrape(s));
      }
      a.add(o);
    }
    return a;
  }

  /** The connected workloads that announced an admin server. */
  private List<ScrapeTarget> targets() {
    List<ScrapeTarget> targets = new ArrayList<>();
    tracker.connectedMetadata().forEach((id, m) -> {
      if (!m.adminAddress().isEmpty()) {
        targets.add(new ScrapeTarget(id, m.namespace(), m.name(), m.adminAddress()));
      }
    });
    return targets;
  }

  private static byte[] page() {
    try (InputStream in = ServiceGraphService.class.getResourceAsStream("service-graph.html")) {
      if (in == null) {
        throw new IllegalStateException("service-graph.html: missing from the class path"
            + " (expected: beside ServiceGraphService)");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] error(String message) {
    JsonObject o = new JsonObject();
    o.addProperty("error", message);
    return (o + "\n").getBytes(StandardCharsets.UTF_8);
  }

  private static void respond(HttpExchange ex, int status, String type, byte[] body)
      throws IOException {
    ex.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
    ex.getResponseHeaders().set("Cache-Control", "no-store");
    ex.sendResponseHeaders(status, body.length);
    try (var out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> q = new HashMap<>();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        q.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
            eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return q;
  }

  @Override
  public void close() {
    source.close();
  }
}
