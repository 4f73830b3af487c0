package io.inboard.examples.bookinfo.productpage;

import com.fasterxml.jackson.databind.JsonNode;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.inboard.examples.bookinfo.Json;
import io.inboard.examples.bookinfo.reviews.proto.GetReviewsRequest;
import io.inboard.examples.bookinfo.reviews.proto.ProductReviews;
import io.inboard.examples.bookinfo.reviews.proto.ReviewsGrpc;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.grpc.MeshChannels;
import io.inboard.mesh.http.MeshHttpClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * productpage's calls, with the timeouts of Istio's original: details and ratings over HTTP
 * (3 s), reviews over gRPC (3 s, tried twice). The second try of reviews is the original's own
 * application-level loop, which Istio's fault-injection task depends on: a 7 s delay behind
 * reviews makes the page wait about 6 s before it shows reviews as unavailable.
 *
 * <p>Each call returns empty on failure; the page then shows Istio's error text. The outbound
 * headers ({@code end-user}, {@code x-request-id}, trace context) come from the request context
 * the servlet makes current.
 */
final class Backends {

  private static final Logger log = LoggerFactory.getLogger(Backends.class);

  static final Duration TIMEOUT = Duration.ofSeconds(3);
  static final int REVIEWS_TRIES = 2;

  private final MeshHttpClient http;
  private final ReviewsGrpc.ReviewsBlockingStub reviews;
  private final int port;

  Backends(Mesh mesh, int port) {
    this.http = MeshHttpClient.of(mesh);
    ManagedChannel channel = MeshChannels.forService(mesh, "reviews:" + port).build();
    this.reviews = ReviewsGrpc.newBlockingStub(channel);
    this.port = port;
  }

  /** The book's details from details, or empty if details failed or took over 3 s. */
  Optional<JsonNode> details(int productId) {
    return getJson("http://details:" + port + "/details/" + productId);
  }

  /** Each reviewer's stars from ratings, or empty if ratings failed or took over 3 s. */
  Optional<JsonNode> ratings(int productId) {
    return getJson("http://ratings:" + port + "/ratings/" + productId);
  }

  /** The reviews from reviews (two tries of 3 s each), or empty if both failed. */
  Optional<ProductReviews> reviews(int productId) {
    GetReviewsRequest request = GetReviewsRequest.newBuilder().setProductId(productId).build();
    for (int i = 0; i < REVIEWS_TRIES; i++) {
      try {
        return Optional.of(reviews.withDeadlineAfter(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
            .getReviews(request));
      } catch (StatusRuntimeException e) {
        // tried again, as the original does; the page shows the error after the last try
        log.info("reviews try {} of {} failed: {}", i + 1, REVIEWS_TRIES, e.getStatus());
      }
    }
    return Optional.empty();
  }

  private Optional<JsonNode> getJson(String url) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).build();
    try {
      // the application's own bound also covers a delay the mesh injects
      HttpResponse<String> r = http.sendAsync(request, BodyHandlers.ofString())
          .get(TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
      if (r.statusCode() != 200) {
        log.info("{} answered {}", url, r.statusCode());
        return Optional.empty();
      }
      return Optional.of(Json.MAPPER.readTree(r.body()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (ExecutionException | TimeoutException | IOException e) {
      log.info("{} failed: {}", url, e instanceof ExecutionException ? e.getCause() : e);
      return Optional.empty();
    }
  }
}
