package io.inboard.mesh.telemetry.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.internal.InternalMesh;
import io.inboard.mesh.telemetry.internal.health.EnvoyClusterStats;
import io.opentelemetry.exporter.prometheus.PrometheusMetricReader;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-workload admin server, Istio's port 15020: {@code GET /stats/prometheus} (Prometheus
 * text format 0.0.4: Istio's request metrics and the xDS gauge, then Envoy's cluster stats) and
 * {@code GET /debug/config_dump} (JSON). It binds every interface, as a pod's metrics port must be reachable by the scraper; one daemon thread serves it.
 */
final class AdminServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(AdminServer.class);

  private final HttpServer server;
  private final ExecutorService executor;

  private AdminServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  static AdminServer start(Mesh mesh, PrometheusMetricReader reader, EnvoyClusterStats health) {
    HttpServer server = bind(mesh);
    PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    server.createContext("/stats/prometheus", ex -> {
      ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
      writer.write(out, reader.collect());
      // bucket bounds as Envoy writes them; then Envoy's cluster stats, printed by hand: their
      // counters carry no _total
      StringBuilder text = new StringBuilder(
          EnvoyBucketBounds.rewrite(out.toString(StandardCharsets.UTF_8)));
      health.writeTo(text);
      respond(ex, 200, writer.getContentType(), text.toString().getBytes(StandardCharsets.UTF_8));
    });
    server.createContext("/debug/config_dump", ex -> respond(ex, 200, "application/json",
        Json.write(ConfigDump.of(mesh)).getBytes(StandardCharsets.UTF_8)));
    server.createContext("/", ex -> respond(ex, 404, "text/plain; charset=utf-8",
        "not found (expected: /stats/prometheus or /debug/config_dump)\n"
            .getBytes(StandardCharsets.UTF_8)));
    ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "inboard-admin-" + mesh.settings().workloadName());
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.start();
    return new AdminServer(server, executor);
  }

  private static HttpServer bind(Mesh mesh) {
    try {
      return HttpServer.create(new InetSocketAddress(InternalMesh.adminPort(mesh)), 0);
    } catch (IOException e) {
      if (InternalMesh.adminPortFixed(mesh)) {
        throw new UncheckedIOException("adminPort: " + InternalMesh.adminPort(mesh)
            + " cannot be bound (" + e.getMessage()
            + "; expected: a free port, 0 for ephemeral, or -1 for no admin server)", e);
      }
    }
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(0), 0);
      log.warn("Admin port {} of workload '{}' is taken; its admin server listens on {} instead"
          + " (set Mesh.builder().adminPort(...) to choose)", InternalMesh.adminPort(mesh),
          mesh.settings().workloadName(), server.getAddress().getPort());
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("adminPort: 0 cannot be bound (" + e.getMessage() + ")", e);
    }
  }

  InetSocketAddress address() {
    return server.getAddress();
  }

  private static void respond(HttpExchange ex, int status, String type, byte[] body)
      throws IOException {
    try (ex; OutputStream os = ex.getResponseBody()) {
      ex.getResponseHeaders().set("Content-Type", type);
      ex.sendResponseHeaders(status, body.length);
      os.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
