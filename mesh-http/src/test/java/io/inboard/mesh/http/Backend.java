package io.inboard.mesh.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A pod's HTTP server on its own loopback address. It answers every request with
 * {@link #status} and a body naming its address, or, with {@link #echo}, describing the request.
 */
final class Backend implements AutoCloseable {

  final String ip;
  final int port;
  final AtomicInteger hits = new AtomicInteger();
  volatile int status = 200;
  volatile boolean echo;
  /** While set, requests wait for it (up to 10 s) before answering. */
  volatile CountDownLatch hold;
  volatile String lastHost;
  private final HttpServer server;

  private Backend(String ip, int port) {
    this.ip = ip;
    try {
      server = HttpServer.create(new InetSocketAddress(ip, port), 100);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.port = server.getAddress().getPort();
    server.createContext("/", this::handle);
    server.start();
  }

  static Backend start(String ip, int port) {
    return new Backend(ip, port);
  }

  /** A port that is free on the loopback addresses the tests use. */
  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.2"))) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    hits.incrementAndGet();
    lastHost = exchange.getRequestHeaders().getFirst("Host");
    byte[] requestBody;
    try (InputStream in = exchange.getRequestBody()) {
      requestBody = in.readAllBytes();
    }
    CountDownLatch h = hold;
    if (h != null) {
      try {
        h.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    String body = !echo ? ip : exchange.getRequestMethod() + " " + exchange.getRequestURI()
        + " h=" + exchange.getRequestHeaders().getFirst("X-Test")
        + " ct=" + exchange.getRequestHeaders().getFirst("Content-Type")
        + " body=" + new String(requestBody, StandardCharsets.UTF_8);
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  int hits() {
    return hits.get();
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
