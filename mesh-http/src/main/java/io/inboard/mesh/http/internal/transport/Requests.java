package io.inboard.mesh.http.internal.transport;

import io.inboard.mesh.api.internal.telemetry.MeshTracing;
import io.inboard.mesh.http.internal.lb.EndpointState;
import java.util.List;
import java.util.Map;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.function.BiConsumer;

/** Small helpers for readdressing requests and dropping responses. */
public final class Requests {

  /**
   * Carries the logical authority ({@code details:9080}) to the server, whose {@code Host} is
   * the endpoint's address: the server's AuthorizationPolicy {@code hosts} match it, as Envoy's
   * match the {@code :authority} the application wrote.
   */
  public static final String AUTHORITY_HEADER = "x-forwarded-host";

  /**
   * A request header the {@link TransportKind#NETTY} transport sends as {@code Host} (HTTP/2:
   * {@code :authority}) instead of the endpoint's address, and does not forward itself: the
   * ingress gateway forwards the downstream authority with it, as Envoy does. A custom
   * {@code HttpRequest} may carry a {@code host} header instead (the JDK's request builder
   * refuses one): {@link #readdress} moves it here. The JDK transport sends it as a plain
   * header, and never a different {@code Host}.
   */
  public static final String UPSTREAM_AUTHORITY_HEADER = "x-inboard-upstream-authority";

  private Requests() {}

  /**
   * {@code original} sent to {@code endpoint} instead of the logical host. Method, headers,
   * body and version are kept. The {@code Host} header becomes the endpoint's address, since the
   * JDK client does not let callers set it, so the logical authority goes in {@value
   * #AUTHORITY_HEADER} unless the request has one (a mirror's {@code -shadow} name).
   *
   * @param timeoutNanos the try's timeout, or {@code 0} to keep the request's own
   */
  public static HttpRequest readdress(HttpRequest original, EndpointState endpoint, long timeoutNanos) {
    return readdress(original, endpoint, timeoutNanos, null);
  }

  /**
   * {@link #readdress(HttpRequest, EndpointState, long)} as attempt {@code span} sends it: the
   * request's trace headers replaced by the span's ({@code null}: kept as they are). The
   * caller's headers are not copied (see {@link HeaderView}).
   */
  public static HttpRequest readdress(HttpRequest original, EndpointState endpoint,
      long timeoutNanos, MeshTracing.Attempt span) {
    return new TryRequest(original, endpoint.uriFor(original.uri()), timeoutNanos, span);
  }

  /** The first value of header {@code lowerName} (in lower case), or {@code null}. */
  public static String header(HttpRequest request, String lowerName) {
    return request instanceof HeaderView v ? v.firstHeader(lowerName)
        : first(request.headers(), lowerName);
  }

  /** Every value of header {@code lowerName} (in lower case). */
  public static List<String> headers(HttpRequest request, String lowerName) {
    return request instanceof HeaderView v ? v.allHeaders(lowerName)
        : all(request.headers(), lowerName);
  }

  /** Hands each of the request's headers to {@code action}, one call per value. */
  public static void forEachHeader(HttpRequest request, BiConsumer<String, String> action) {
    if (request instanceof HeaderView v) {
      v.forEachHeader(action);
    } else {
      forEach(request.headers(), action);
    }
  }

  /** The first value of response header {@code lowerName} (in lower case), or {@code null}. */
  public static String header(HttpResponse<?> response, String lowerName) {
    return response instanceof HeaderView v ? v.firstHeader(lowerName)
        : first(response.headers(), lowerName);
  }

  /** Every value of response header {@code lowerName} (in lower case). */
  public static List<String> headers(HttpResponse<?> response, String lowerName) {
    return response instanceof HeaderView v ? v.allHeaders(lowerName)
        : all(response.headers(), lowerName);
  }

  /** The first value of response header {@code lowerName} (in lower case), or {@code null}. */
  public static String header(HttpResponse.ResponseInfo info, String lowerName) {
    return info instanceof HeaderView v ? v.firstHeader(lowerName)
        : first(info.headers(), lowerName);
  }

  /** Hands each of the response's headers to {@code action}, one call per value. */
  public static void forEachHeader(HttpResponse<?> response, BiConsumer<String, String> action) {
    if (response instanceof HeaderView v) {
      v.forEachHeader(action);
    } else {
      forEach(response.headers(), action);
    }
  }

  /** {@code value} as a decimal {@code long}, or {@code -1} when absent or not one. */
  public static long longValue(String value) {
    if (value == null) {
      return -1;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * {@code headers.firstValue(name)} without its stream and {@code Optional}: every
   * {@code HttpHeaders} is a case-insensitive map, so a lookup allocates nothing. These run
   * several times per call.
   */
  private static String first(java.net.http.HttpHeaders headers, String name) {
    List<String> values = headers.map().get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /** {@code headers.allValues(name)}, without a copy. */
  private static List<String> all(java.net.http.HttpHeaders headers, String name) {
    List<String> values = headers.map().get(name);
    return values == null ? List.of() : values;
  }

  private static void forEach(java.net.http.HttpHeaders headers,
      BiConsumer<String, String> action) {
    for (Map.Entry<String, List<String>> e : headers.map().entrySet()) {
      for (String value : e.getValue()) {
        action.accept(e.getKey(), value);
      }
    }
  }

  /** Releases a response the caller will never see (a retried try, or a late one). */
  public static void discard(HttpResponse<?> response) {
    if (response != null && response.body() instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (Exception ignored) {
        // The body was unwanted; failing to close it changes nothing for the call.
      }
    }
  }
}
