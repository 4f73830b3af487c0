package io.inboard.mesh.controlplane.internal.admin;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.inboard.mesh.controlplane.Deletion;
import io.inboard.mesh.controlplane.Diagnostics;
import io.inboard.mesh.controlplane.ResourceId;
import io.inboard.mesh.controlplane.StoredResource;
import io.inboard.mesh.controlplane.internal.ControlPlaneEngine;
import io.inboard.mesh.controlplane.internal.ads.WorkloadTracker;
import io.inboard.mesh.controlplane.internal.parse.ResourceIds;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane's admin HTTP API (port 15014 by default). Request bodies are YAML (one or
 * more documents, at most 4 MiB); responses are JSON unless stated.
 *
 * <ul>
 *   <li>{@code POST /api/v1/apply}: applies the resources. 200 with {@code applied},
 *       {@code warnings}, {@code notServed}; 400 with {@code errors} (each naming resource,
 *       field, value and expectation) and nothing changed.
 *   <li>{@code POST /api/v1/delete}: deletes the resources named by each document's kind,
 *       {@code metadata.namespace} and {@code metadata.name}. 200 with {@code deleted}; 404
 *       with {@code unknown} (nothing deleted); 400 with {@code errors}.
 *   <li>{@code POST /api/v1/analyze}: validates without applying. 200 with {@code valid},
 *       {@code warnings}, {@code notServed}, or 400 with {@code errors}.
 *   <li>{@code GET /api/v1/resources?kind=K&namespace=N&name=M&format=json|yaml}: the stored
 *       resources (every filter optional; {@code kind} is case-insensitive) with their
 *       diagnostics. JSON (default): {@code resources: [{kind, namespace, name, document,
 *       diagnostics}]}; YAML: the documents as applied, each preceded by its findings as
 *       comments.
 *   <li>{@code GET /api/v1/diagnostics}: {@code errors} (rejected config-directory files),
 *       {@code warnings} (including RequestAuthentication {@code jwksUri}s that cannot be
 *       fetched now) and {@code notServed} over all resources.
 *   <li>{@code GET /api/v1/workloads}: connected and recently disconnected workloads: metadata,
 *       registered endpoints, and per xDS type the sent and ACKed versions and NACKs.
 *   <li>{@code GET /api/v1/config-dump/{workload}} (node id, {@code WORKLOAD_NAME} or
 *       {@code namespace/name}): the workload, and per type what it was last sent (resources as
 *       proto3 JSON), ACKed and NACKed. 404 when unknown.
 *   <li>{@code POST /api/v1/ca/rotate-root?overlapSeconds=N}: starts a root rotation with that
 *       overlap (default 3600; see {@code ControlPlane.rotateRoot}). 200 with {@code newRoot}
 *       (PEM) and {@code overlapSeconds}; 409 when the CA is plugged in or a rotation is under
 *       way; 404 when the control plane has no CA.
 *   <li>{@code GET /healthz}: 200 {@code ok} once xDS is served, 503 otherwise (text).
 *   <li>Paths added with {@link #mount}, such as the service graph's {@code GET /ui} and
 *       {@code GET /api/v1/graph} ({@code internal.graph.ServiceGraphService}).
 * </ul>
 *
 * <p>Unknown paths give 404, wrong methods 405; every error body is {@code {"error": "..."}}
 * unless described above.
 */
public final class AdminApiServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AdminApiServer.class);
  private static final int MAX_BODY = 4 << 20;
  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

  private record Response(int status, String contentType, String body) {
    static Response json(int status, JsonElement body) {
      return new Response(status, "application/json", GSON.toJson(body) + "\n");
    }

    static Response error(int status, String message) {
      JsonObject o = new JsonObject();
      o.addProperty("error", message);
      return json(status, o);
    }
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private final ControlPlaneEngine cp;
  private final WorkloadTracker tracker;
  private final BooleanSupplier serving;

  private AdminApiServer(HttpServer server, ControlPlaneEngine cp, WorkloadTracker tracker,
      BooleanSupplier serving) {
    this.server = server;
    this.cp = cp;
    this.tracker = tracker;
    this.serving = serving;
    // the JDK server runs handlers on the accepting thread without an executor; two threads
    // keep a slow client from stalling the rest
    this.executor = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "inboard-admin");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Binds {@code host:port} (0 picks a free port) and starts serving. */
  public static AdminApiServer start(String host, int port, ControlPlaneEngine cp,
      WorkloadTracker tracker, BooleanSupplier serving) throws IOException {
    return new AdminApiServer(HttpServer.create(new InetSocketAddress(host, port), 0), cp, tracker,
        serving);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /**
   * Serves {@code path} (and the paths under it) with {@code handler} on the admin threads,
   * ahead of the built-in routes.
   */
  public void mount(String path, com.sun.net.httpserver.HttpHandler handler) {
    server.createContext(path, handler);
  }

  private void handle(HttpExchange ex) throws IOException {
    Response r;
    try {
      r = route(ex.getRequestMethod(), ex.getRequestURI().getRawPath(),
          query(ex.getRequestURI().getRawQuery()), ex.getRequestBody());
    } catch (RuntimeException e) {
      log.error("admin {} {} failed", ex.getRequestMethod(), ex.getRequestURI(), e);
      r = Response.error(500, e.toString());
    }
    byte[] body = r.body().getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", r.contentType() + "; charset=utf-8");
    ex.sendResponseHeaders(r.status(), body.length);
    try (var out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  private Response route(String method, String path, Map<String, String> query, InputStream in)
      throws IOException {
    boolean post = method.equals("POST");
    switch (path) {
      case "/healthz":
        return serving.getAsBoolean() ? new Response(200, "text/plain", "ok\n")
            : new Response(503, "text/plain", "xDS not serving\n");
      case "/api/v1/apply", "/api/v1/analyze", "/api/v1/delete": {
        if (!post) {
          return Response.error(405, method + " " + path + " (expected: POST)");
        }
        String yaml = body(in);
        if (yaml == null) {
          return Response.error(413, "body: over " + MAX_BODY + " bytes (expected: less)");
        }
        if (path.endsWith("delete")) {
          return delete(yaml);
        }
        boolean apply = path.endsWith("apply");
        return validated(apply ? cp.apply(yaml) : cp.analyze(yaml), apply ? "applied" : "valid",
            yaml);
      }
      case "/api/v1/ca/rotate-root":
        return post ? rotateRoot(query)
            : Response.error(405, method + " " + path + " (expected: POST)");
      default:
        break;
    }
    if (post) {
      return Response.error(path.startsWith("/api/v1/") ? 405 : 404,
          "POST " + path + " (expected: GET)");
    }
    if (path.equals("/api/v1/resources")) {
      return resources(query);
    }
    if (path.equals("/api/v1/diagnostics")) {
      return Response.json(200, AdminJson.diagnostics(cp.diagnostics().all()));
    }
    if (path.equals("/api/v1/workloads")) {
      JsonObject o = new JsonObject();
      o.add("workloads", AdminJson.array(cp.workloads(), AdminJson::workload));
      return Response.json(200, o);
    }
    if (path.startsWith("/api/v1/config-dump/")) {
      String key = URLDecoder.decode(path.substring("/api/v1/config-dump/".length()),
          StandardCharsets.UTF_8);
      return tracker.find(key)
          .flatMap(id -> tracker.status(id).map(s -> ConfigDumpJson.of(s, tracker.sent(id))))
          .map(dump -> Response.json(200, dump))
          .orElse(Response.error(404, "workload: '" + key
              + "' (expected: a connected workload's node id, WORKLOAD_NAME or namespace/name)"));
    }
    return Response.error(404, "path: " + path + " (expected: /healthz or /api/v1/{apply,"
        + "delete,analyze,resources,diagnostics,workloads,config-dump/WORKLOAD})");
  }

  private Response rotateRoot(Map<String, String> query) {
    var ca = cp.ca();
    if (ca.isEmpty()) {
      return Response.error(404, "ca: disabled (expected: a control plane with securePort >= 0)");
    }
    String raw = query.getOrDefault("overlapSeconds", "3600");
    long seconds;
    try {
      seconds = Long.parseLong(raw);
    } catch (NumberFormatException e) {
      seconds = -1;
    }
    if (seconds < 0) {
      return Response.error(400, "overlapSeconds: '" + raw + "' (expected: an integer >= 0)");
    }
    try {
      java.security.cert.X509Certificate root =
          ca.get().authority().rotateRoot(java.time.Duration.ofSeconds(seconds));
      JsonObject o = new JsonObject();
      o.addProperty("newRoot", io.inboard.mesh.security.internal.pki.Pem.encode(root));
      o.addProperty("overlapSeconds", seconds);
      return Response.json(200, o);
    } catch (IllegalStateException e) {
      return Response.error(409, e.getMessage());
    }
  }

  /** Findings, plus under {@code key} the resources taken (none when there are errors). */
  private Response validated(Diagnostics d, String key, String yaml) {
    JsonObject o = AdminJson.diagnostics(d.all());
    List<ResourceId> taken = d.hasErrors() ? List.of()
        : ResourceIds.read("input", yaml, cp.defaultNamespace()).ids();
    o.add(key, AdminJson.array(taken, AdminJson::id));
    return Response.json(d.hasErrors() ? 400 : 200, o);
  }

  private Response delete(String yaml) {
    Deletion d = cp.delete(yaml);
    JsonObject o = AdminJson.diagnostics(d.errors().all());
    o.add("deleted", AdminJson.array(d.deleted(), AdminJson::id));
    o.add("unknown", AdminJson.array(d.unknown(), AdminJson::id));
    if (d.errors().hasErrors()) {
      return Response.json(400, o);
    }
    if (!d.unknown().isEmpty()) {
      o.addProperty("error", "not found, nothing deleted: " + d.unknown());
      return Response.json(404, o);
    }
    return Response.json(200, o);
  }

  private Response resources(Map<String, String> q) {
    List<StoredResource> found = cp.resources(q.getOrDefault("kind", ""),
        q.getOrDefault("namespace", ""), q.getOrDefault("name", ""));
    String format = q.getOrDefault("format", "json");
    if (format.equals("yaml")) {
      return new Response(200, "application/yaml", ResourceYaml.of(found));
    }
    if (!format.equals("json")) {
      return Response.error(400, "format: '" + format + "' (expected: json or yaml)");
    }
    JsonObject o = new JsonObject();
    o.add("resources", AdminJson.array(found, AdminJson::resource));
    return Response.json(200, o);
  }

  /** The body as text, or null when it is over the limit. */
  private static String body(InputStream in) throws IOException {
    byte[] bytes = in.readNBytes(MAX_BODY + 1);
    return bytes.length > MAX_BODY ? null : new String(bytes, StandardCharsets.UTF_8);
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> q = new HashMap<>();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        String k = eq < 0 ? pair : pair.substring(0, eq);
        String v = eq < 0 ? "" : pair.substring(eq + 1);
        q.put(URLDecoder.decode(k, StandardCharsets.UTF_8),
            URLDecoder.decode(v, StandardCharsets.UTF_8));
      }
    }
    return q;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
