package io.inboard.mesh.telemetry.internal.tracing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A loopback collector that keeps every POST body (and its content type) it receives. */
final class CapturingCollector implements AutoCloseable {

  /** One received request. */
  record Post(String path, String contentType, String upgrade, byte[] body) {
    String text() {
      return new String(body, java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  private final HttpServer server;
  private final List<Post> posts = new CopyOnWriteArrayList<>();

  CapturingCollector() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      posts.add(new Post(exchange.getRequestURI().getPath(),
          exchange.getRequestHeaders().getFirst("content-type"),
          exchange.getRequestHeaders().getFirst("upgrade"), body));
      exchange.sendResponseHeaders(202, -1);
      exchange.close();
    });
    server.start();
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  List<Post> posts() {
    return posts;
  }

  /** Whether any body received so far contains {@code text}. */
  boolean received(String text) {
    return posts.stream().anyMatch(p -> p.text().contains(text));
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
