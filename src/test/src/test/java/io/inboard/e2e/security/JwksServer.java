package io.inboard.e2e.security;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An issuer's JWKS endpoint on loopback, as the control plane fetches it: serves the key set it
 * is given, or fails with 503 while it is {@link #down}. Counts the fetches.
 */
final class JwksServer implements AutoCloseable {
  private final HttpServer server;
  private final AtomicInteger fetches = new AtomicInteger();
  private volatile String jwks;
  private volatile boolean down;

  JwksServer(String jwks) throws IOException {
    this.jwks = jwks;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/.well-known/jwks.json", exchange -> {
      fetches.incrementAndGet();
      byte[] body = (down ? "unavailable" : this.jwks).getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(down ? 503 : 200, body.length);
      try (OutputStream os = exchange.getResponseBody()) {
        os.write(body);
      }
    });
    server.start();
  }

  String uri() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/.well-known/jwks.json";
  }

  void serve(String keySet) {
    this.jwks = keySet;
  }

  void down(boolean isDown) {
    this.down = isDown;
  }

  int fetches() {
    return fetches.get();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
