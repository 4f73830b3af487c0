package io.inboard.mesh.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP server that records each request's headers, answers {@link #status} with its
 * address as body and a {@code server: recording} header, and can hold requests.
 */
final class RecordingBackend implements AutoCloseable {

  final String ip;
  final int port;
  final AtomicInteger hits = new AtomicInteger();
  final List<Map<String, List<String>>> requests = new CopyOnWriteArrayList<>();
  volatile int status = 200;
  /** While set, requests wait for it (up to 10 s) before answering. */
  volatile CountDownLatch hold;
  private final HttpServer server;

  RecordingBackend(String ip, int port) {
    this.ip = ip;
    try {
      server = HttpServer.create(new InetSocketAddress(ip, port), 100);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.port = server.getAddress().getPort();
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/", this::handle);
    server.start();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      in.readAllBytes();
    }
    requests.add(Map.copyOf(exchange.getRequestHeaders()));
    hits.incrementAndGet();
    CountDownLatch h = hold;
    if (h != null) {
      try {
        h.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    byte[] bytes = ip.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("server", "recording");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** The first value of header {@code name} in the last request, or {@code null}. */
  String lastHeader(String name) {
    if (requests.isEmpty()) {
      return null;
    }
    return requests.get(requests.size() - 1).entrySet().stream()
        .filter(e -> e.getKey().equalsIgnoreCase(name)).map(e -> e.getValue().get(0))
        .findFirst().orElse(null);
  }

  @Override
  public void close() {
    CountDownLatch h = hold;
    if (h != null) {
      h.countDown();
    }
    server.stop(0);
  }
}
