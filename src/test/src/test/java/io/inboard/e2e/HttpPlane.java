package io.inboard.e2e;

import io.inboard.mesh.api.ServiceUnavailableException;
import io.inboard.mesh.http.MeshHttpClient;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** The HTTP data plane: {@link MeshHttpClient} on an xDS-mode mesh. */
final class HttpPlane implements DataPlane {

  private final MeshHttpClient http;
  private final int port;

  HttpPlane(MeshHttpClient http, int port) {
    this.http = http;
    this.port = port;
  }

  @Override
  public Kind kind() {
    return Kind.HTTP;
  }

  @Override
  public CompletableFuture<Outcome> call(String service, String path,
      Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(
        URI.create("http://" + service + ":" + port + path));
    headers.forEach(b::header);
    long start = System.nanoTime();
    return http.sendAsync(b.build(), BodyHandlers.ofString()).handle((r, failure) -> failure == null
        ? new Outcome(r.statusCode() == 200 ? r.body() : null, status(r), GrpcPlane.millis(start),
            headers(r))
        : new Outcome(null, status(failure), GrpcPlane.millis(start)));
  }

  private static Map<String, String> headers(HttpResponse<String> r) {
    Map<String, String> out = new java.util.HashMap<>();
    r.headers().map().forEach((k, v) -> out.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0)));
    return out;
  }

  private static Outcome.Status status(HttpResponse<String> r) {
    return switch (r.statusCode()) {
      case 200 -> Outcome.Status.OK;
      case 503 -> Outcome.Status.UNAVAILABLE;
      case 500 -> Outcome.Status.INTERNAL;
      case 504 -> Outcome.Status.DEADLINE_EXCEEDED;
      default -> Outcome.Status.OTHER;
    };
  }

  private static Outcome.Status status(Throwable failure) {
    Throwable t = failure instanceof CompletionException ? failure.getCause() : failure;
    if (t instanceof ServiceUnavailableException) {
      return Outcome.Status.UNAVAILABLE;
    }
    if (t instanceof HttpTimeoutException) {
      return Outcome.Status.DEADLINE_EXCEEDED;
    }
    return Outcome.Status.OTHER;
  }
}
