package io.inboard.mesh.controlplane.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Calls a control plane's admin API. */
final class AdminClient implements AutoCloseable {
  record Reply(int status, String body) {}

  private final String server;
  // its own executor: the JDK client otherwise hops to the common pool, which on small
  // machines starts a thread per response
  private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "inboardctl-http");
    t.setDaemon(true);
    return t;
  });
  private final HttpClient http = HttpClient.newBuilder().executor(executor)
      .connectTimeout(Duration.ofSeconds(5)).build();

  AdminClient(String server) {
    this.server = server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
  }

  String server() {
    return server;
  }

  Reply get(String pathAndQuery) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri(pathAndQuery)).GET());
  }

  Reply post(String path, String yaml) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/yaml")
        .POST(HttpRequest.BodyPublishers.ofString(yaml, StandardCharsets.UTF_8)));
  }

  private URI uri(String pathAndQuery) {
    return URI.create(server + pathAndQuery);
  }

  private Reply send(HttpRequest.Builder request) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(request.timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    return new Reply(r.statusCode(), r.body());
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
