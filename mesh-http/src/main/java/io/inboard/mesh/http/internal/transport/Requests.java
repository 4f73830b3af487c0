package io.inboard.mesh.http.internal.transport;

import io.inboard.mesh.api.internal.telemetry.MeshTracing;
import io.inboard.mesh.http.internal.lb.EndpointState;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.BiPredicate;

/** Small helpers for readdressing requests and dropping responses. */
public final class Requests {

  private static final BiPredicate<String, String> ALL_HEADERS = (name, value) -> true;
  private static final Set<String> TRACE_HEADERS = Set.copyOf(MeshTracing.TRACE_HEADERS);
  private static final BiPredicate<String, String> NOT_TRACE_HEADERS =
      (name, value) -> !TRACE_HEADERS.contains(name.toLowerCase(Locale.ROOT));
  private static final BiPredicate<String, String> NOT_HOST =
      (name, value) -> !name.equalsIgnoreCase("host");
  private static final BiPredicate<String, String> NOT_TRACE_OR_HOST =
      NOT_TRACE_HEADERS.and(NOT_HOST);

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
   * request's trace headers replaced by the span's ({@code null}: kept as they are).
   */
  public static HttpRequest readdress(HttpRequest original, EndpointState endpoint,
      long timeoutNanos, MeshTracing.Attempt span) {
    // a custom request's "host" would make the JDK's builder throw: carry it in our header
    Optional<String> host = original.headers().firstValue("host");
    HttpRequest.Builder b = HttpRequest.newBuilder(original, host.isEmpty()
            ? (span == null ? ALL_HEADERS : NOT_TRACE_HEADERS)
            : (span == null ? NOT_HOST : NOT_TRACE_OR_HOST))
        .uri(endpoint.uriFor(original.uri()));
    if (host.isPresent()) {
      b.setHeader(UPSTREAM_AUTHORITY_HEADER, host.get());
    }
    if (span != null) {
      span.inject(b::header);
    }
    String authority = original.uri().getRawAuthority();
    if (authority != null && original.headers().firstValue(AUTHORITY_HEADER).isEmpty()) {
      b.header(AUTHORITY_HEADER, authority);
    }
    if (timeoutNanos > 0) {
      b.timeout(Duration.ofNanos(timeoutNanos));
    }
    return b.build();
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
