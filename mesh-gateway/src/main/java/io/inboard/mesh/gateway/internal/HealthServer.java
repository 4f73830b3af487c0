package io.inboard.mesh.gateway.internal;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/**
 * The gateway's readiness endpoint, as Istio's ingress gateway serves it: {@code GET
 * /healthz/ready} answers 200 once ready, 503 before.
 */
public final class HealthServer implements AutoCloseable {

  private final HttpServer server;

  /** Binds {@code host:port} (0: a free port). */
  public HealthServer(String host, int port, BooleanSupplier ready) {
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 16);
    } catch (IOException e) {
      throw new UncheckedIOException("gateway health port " + host + ":" + port
          + " cannot be bound: " + e.getMessage(), e);
    }
    server.createContext("/healthz/ready", ex -> {
      boolean ok = ready.getAsBoolean();
      byte[] body = (ok ? "ready\n" : "not ready\n").getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("content-type", "text/plain");
      ex.sendResponseHeaders(ok ? 200 : 503, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
