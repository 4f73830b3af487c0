package io.inboard.examples.discovery;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** A tiny HTTP server standing in for one pod: it answers with its own pod name. */
final class HelloPod implements AutoCloseable {

  private final String name;
  private final String ip;
  private final HttpServer server;

  HelloPod(String name, String ip, int port) throws IOException {
    this.name = name;
    this.ip = ip;
    this.server = HttpServer.create(new InetSocketAddress(ip, port), 64);
    server.createContext("/", exchange -> {
      byte[] body = name.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
  }

  String name() {
    return name;
  }

  String ip() {
    return ip;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
