package io.inboard.mesh.controlplane;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Calls a control plane's admin API in tests. */
final class AdminHttp implements AutoCloseable {
  record Reply(int status, String body) {
    JsonObject json() {
      return JsonParser.parseString(body).getAsJsonObject();
    }
  }

  private final String base;
  private final ExecutorService executor = Executors.newSingleThreadExecutor();
  private final HttpClient http = HttpClient.newBuilder().executor(executor).build();

  AdminHttp(ControlPlane cp) {
    this.base = cp.adminUrl();
  }

  Reply get(String path) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET().build());
  }

  Reply post(String path, String body) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(base + path))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  private Reply send(HttpRequest request) throws Exception {
    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
    return new Reply(r.statusCode(), r.body());
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
