package io.inboard.examples.bookinfo.reviews;

import com.fasterxml.jackson.databind.JsonNode;
import io.inboard.examples.bookinfo.Json;
import io.inboard.mesh.http.MeshHttpClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * reviews v2/v3's call to ratings over HTTP, through the mesh. The timeout is the
 * application's own (10 s in v2, 2.5 s in v3, as in Istio's reviews), so it also covers a delay
 * the mesh injects, as Istio's client-side timeout covers the sidecar's.
 */
final class RatingsClient {

  private final MeshHttpClient http;
  private final int port;
  private final Duration timeout;

  RatingsClient(MeshHttpClient http, int port, Duration timeout) {
    this.http = http;
    this.port = port;
    this.timeout = timeout;
  }

  /** Each reviewer's stars for {@code productId}; fails on any error or non-200 answer. */
  CompletableFuture<Map<String, Integer>> ratings(int productId) {
    HttpRequest request = HttpRequest.newBuilder(
        URI.create("http://ratings:" + port + "/ratings/" + productId)).timeout(timeout).build();
    return http.sendAsync(request, BodyHandlers.ofString())
        .orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS)
        .thenApply(RatingsClient::parse);
  }

  private static Map<String, Integer> parse(HttpResponse<String> r) {
    if (r.statusCode() != 200) {
      throw new IllegalStateException("ratings answered " + r.statusCode());
    }
    try {
      JsonNode ratings = Json.MAPPER.readTree(r.body()).path("ratings");
      Map<String, Integer> stars = new HashMap<>();
      ratings.properties().forEach(e -> stars.put(e.getKey(), e.getValue().asInt()));
      return stars;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
