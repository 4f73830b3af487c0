package io.inboard.mesh.http.internal.lb;

import io.inboard.mesh.api.discovery.Endpoint;
import java.net.URI;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the client knows about one endpoint across discovery updates: calls in flight, the
 * current failure streaks and its ejection history. It is keyed by {@code address:port}, so an
 * ejected pod stays ejected when an unrelated pod changes.
 */
public final class EndpointState {

  private volatile Endpoint endpoint;
  private final String authority;
  private final String baseUri;
  private volatile CachedUri lastUri;

  /** Tries in flight to this endpoint, read by least-request picking. */
  public final AtomicInteger active = new AtomicInteger();
  /** Consecutive 5xx responses and local failures; a success resets it. */
  final AtomicInteger consecutive5xx = new AtomicInteger();
  /** Consecutive 502/503/504 responses and local failures; a success resets it. */
  final AtomicInteger consecutiveGatewayErrors = new AtomicInteger();
  /** Tries and failed tries since the last success-rate sweep (only counted when enabled). */
  final AtomicInteger intervalTries = new AtomicInteger();
  final AtomicInteger intervalFailures = new AtomicInteger();

  // Ejection state, guarded by the owning EndpointSet's lock.
  volatile boolean ejected;
  long ejectedUntilNanos;
  int timesEjected;
  long readmittedAtNanos;

  EndpointState(Endpoint endpoint) {
    this(endpoint, false);
  }

  /** @param secure whether tries go as {@code https} (the destination speaks TLS) */
  EndpointState(Endpoint endpoint, boolean secure) {
    this.endpoint = endpoint;
    this.authority = endpoint.authority();
    this.baseUri = (secure ? "https://" : "http://") + authority;
  }

  /** The endpoint as discovery last described it. */
  public Endpoint endpoint() {
    return endpoint;
  }

  void update(Endpoint latest) {
    this.endpoint = latest;
  }

  /** {@code address:port}. */
  public String authority() {
    return authority;
  }

  /** {@code http://address:port} (or {@code https}), the prefix of every URI sent to this endpoint. */
  String baseUri() {
    return baseUri;
  }

  /**
   * {@code logical}'s path and query on this endpoint. The last one built is kept: calls to one
   * endpoint mostly repeat a few paths, and parsing a URI is a good part of a try's cost.
   */
  public URI uriFor(URI logical) {
    String path = logical.getRawPath();
    String query = logical.getRawQuery();
    CachedUri c = lastUri;
    if (c != null && Objects.equals(c.path, path) && Objects.equals(c.query, query)) {
      return c.uri;
    }
    StringBuilder sb = new StringBuilder(baseUri.length() + (path == null ? 1 : path.length())
        + (query == null ? 0 : query.length() + 1));
    sb.append(baseUri).append(path == null || path.isEmpty() ? "/" : path);
    if (query != null) {
      sb.append('?').append(query);
    }
    URI uri = URI.create(sb.toString());
    lastUri = new CachedUri(path, query, uri);
    return uri;
  }

  private record CachedUri(String path, String query, URI uri) {}

  /** Tries in flight to this endpoint. */
  public int activeRequests() {
    return active.get();
  }

  /** Whether the endpoint has failed since its last success (used by pick-first). */
  boolean failing() {
    return consecutive5xx.get() > 0;
  }

  /** Whether outlier detection currently ejects this endpoint. */
  public boolean isEjected() {
    return ejected;
  }

  @Override
  public String toString() {
    return authority;
  }
}
