package io.inboard.mesh.gateway.internal;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Optional;

/**
 * A downstream request as the mesh's routes see it: its URI's authority is the downstream
 * {@code Host}/{@code :authority} (virtual hosts and {@code :authority} matches read it there),
 * its headers are already filtered (see {@link ForwardedHeaders}). A subclass rather than the
 * JDK's builder, so building one per request runs no header checks twice.
 */
final class UpstreamRequest extends HttpRequest {

  private final URI uri;
  private final String method;
  private final HttpHeaders headers;
  private final BodyPublisher body;
  private final HttpClient.Version version;

  UpstreamRequest(URI uri, String method, HttpHeaders headers, BodyPublisher body,
      HttpClient.Version version) {
    this.uri = uri;
    this.method = method;
    this.headers = headers;
    this.body = body;
    this.version = version;
  }

  @Override
  public Optional<BodyPublisher> bodyPublisher() {
    return Optional.of(body);
  }

  @Override
  public String method() {
    return method;
  }

  @Override
  public Optional<Duration> timeout() {
    return Optional.empty();
  }

  @Override
  public boolean expectContinue() {
    return false;
  }

  @Override
  public URI uri() {
    return uri;
  }

  @Override
  public Optional<HttpClient.Version> version() {
    return Optional.ofNullable(version);
  }

  @Override
  public HttpHeaders headers() {
    return headers;
  }
}
