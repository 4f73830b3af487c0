package io.inboard.mesh.telemetry.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.inboard.mesh.api.Mesh;
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

/**
 * The per-workload admin server, Istio's port 15020: {@code GET /stats/prometheus} (Prometheus
 * text format 0.0.4) and {@code GET /debug/config_dump} (JSON). It binds every interface, as a
 * pod's metrics port must be reachable by the scraper; one daemon thread serves it.
 */
final class AdminServer implements AutoCloseable {

  private final HttpServer server;
  private final ExecutorService executor;

  private AdminServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  static AdminServer start(Mesh mesh, PrometheusMetricReader reader) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(mesh.adminPort()), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("adminPort: " + mesh.adminPort() + " cannot be bound ("
          + e.getMessage() + "; expected: a free port, 0 for ephemeral, or -1 for no admin"
          + " server)", e);
    }
    PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    server.createContext("/stats/prometheus", ex -> {
      ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
      writer.write(out, reader.collect());
      respond(ex, 200, writer.getContentType(), out.toByteArray());
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
