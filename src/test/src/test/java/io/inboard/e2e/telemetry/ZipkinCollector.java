package io.inboard.e2e.telemetry;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

/**
 * A Zipkin collector on loopback: {@code POST /api/v2/spans} with a JSON array of Zipkin v2
 * spans, each kept as it came. Also writes the mesh config whose {@code zipkin} extension
 * provider points at it, the default tracing provider.
 */
final class ZipkinCollector implements AutoCloseable {
  private final HttpServer server;
  private final List<JsonObject> spans = new CopyOnWriteArrayList<>();

  private ZipkinCollector() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/api/v2/spans", ex -> {
      try (ex) {
        InputStream in = ex.getRequestBody();
        if ("gzip".equalsIgnoreCase(ex.getRequestHeaders().getFirst("content-encoding"))) {
          in = new GZIPInputStream(in);
        }
        String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        if (!ex.getRequestMethod().equals("POST")) {
          ex.sendResponseHeaders(405, -1);
          return;
        }
        for (JsonElement e : JsonParser.parseString(body).getAsJsonArray()) {
          spans.add(e.getAsJsonObject());
        }
        ex.sendResponseHeaders(202, -1);
      }
    });
    server.start();
  }

  /** A running collector; started before the control plane whose mesh config names it. */
  static ZipkinCollector start() {
    try {
      return new ZipkinCollector();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** Every span received so far. */
  List<JsonObject> spans() {
    return List.copyOf(spans);
  }

  /** The received spans whose tag {@code key} is {@code value}. */
  List<JsonObject> tagged(String key, String value) {
    return spans.stream().filter(s -> value.equals(tag(s, key))).toList();
  }

  /** The spans of trace {@code traceId}. */
  List<JsonObject> trace(String traceId) {
    return spans.stream().filter(s -> s.get("traceId").getAsString().equals(traceId)).toList();
  }

  static String tag(JsonObject span, String key) {
    JsonObject tags = span.getAsJsonObject("tags");
    return tags == null || !tags.has(key) ? null : tags.get(key).getAsString();
  }

  static String kind(JsonObject span) {
    return span.has("kind") ? span.get("kind").getAsString() : "";
  }

  static String service(JsonObject span) {
    return span.getAsJsonObject("localEndpoint").get("serviceName").getAsString();
  }

  /**
   * A mesh config file with the {@code zipkin} provider at this collector as the default
   * tracing provider.
   */
  Path meshConfig() {
    try {
      Path f = Files.createTempFile("mesh-config", ".yaml");
      Files.writeString(f, """
          extensionProviders:
          - name: zipkin
            zipkin:
              service: 127.0.0.1
              port: %d
          defaultProviders:
            tracing: [zipkin]
          """.formatted(port()));
      return f;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
