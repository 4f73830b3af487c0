package io.inboard.mesh.http.internal;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.BiPredicate;

/** Small helpers for readdressing requests and dropping responses. */
final class Requests {

  private static final BiPredicate<String, String> ALL_HEADERS = (name, value) -> true;

  private Requests() {}

  /**
   * {@code original} sent to {@code endpoint} instead of the logical host. Method, headers,
   * body and version are kept. The {@code Host} header becomes the endpoint's address, since the
   * JDK client does not let callers set it.
   *
   * @param timeoutNanos the try's timeout, or {@code 0} to keep the request's own
   */
  static HttpRequest readdress(HttpRequest original, EndpointState endpoint, long timeoutNanos) {
    URI uri = original.uri();
    String path = uri.getRawPath();
    String query = uri.getRawQuery();
    String base = endpoint.baseUri();
    StringBuilder sb = new StringBuilder(base.length() + (path == null ? 1 : path.length())
        + (query == null ? 0 : query.length() + 1));
    sb.append(base);
    sb.append(path == null || path.isEmpty() ? "/" : path);
    if (query != null) {
      sb.append('?').append(query);
    }
    HttpRequest.Builder b = HttpRequest.newBuilder(original, ALL_HEADERS).uri(URI.create(sb.toString()));
    if (timeoutNanos > 0) {
      b.timeout(Duration.ofNanos(timeoutNanos));
    }
    return b.build();
  }

  /** Releases a response the caller will never see (a retried try, or a late one). */
  static void discard(HttpResponse<?> response) {
    if (response != null && response.body() instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (Exception ignored) {
        // The body was unwanted; failing to close it changes nothing for the call.
      }
    }
  }
}
