package io.inboard.mesh.http.internal.route;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.util.Optional;
import javax.net.ssl.SSLSession;

/**
 * A response as the caller sees it after the route's response-header changes: the upstream
 * response with other headers, everything else passed through. Built only for routes that
 * change response headers.
 */
public record XdsResponse<T>(java.net.http.HttpResponse<T> upstream, HttpHeaders headers)
    implements java.net.http.HttpResponse<T> {

  public static <T> java.net.http.HttpResponse<T> of(java.net.http.HttpResponse<T> upstream,
      XdsHeaderChanges changes) {
    return changes.isEmpty() ? upstream
        : new XdsResponse<>(upstream, changes.apply(upstream.headers()));
  }

  @Override
  public int statusCode() {
    return upstream.statusCode();
  }

  @Override
  public HttpRequest request() {
    return upstream.request();
  }

  @Override
  public Optional<java.net.http.HttpResponse<T>> previousResponse() {
    return upstream.previousResponse();
  }

  @Override
  public T body() {
    return upstream.body();
  }

  @Override
  public Optional<SSLSession> sslSession() {
    return upstream.sslSession();
  }

  @Override
  public URI uri() {
    return upstream.uri();
  }

  @Override
  public HttpClient.Version version() {
    return upstream.version();
  }
}
