package io.inboard.mesh.http.internal.transport;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Optional;

/**
 * A request read through a {@link HeaderView} over another request, {@code base}, whose body,
 * method and version it keeps: subclasses lay a few headers beside the base's instead of
 * copying them. The JDK's {@link HttpHeaders} of the whole is built once, only when a reader
 * that is not {@code HeaderView}-aware asks for it (the JDK transport does).
 */
abstract class LayeredRequest extends HttpRequest implements HeaderView {

  /** The request this one lays its headers over, as it was given (not a copy). */
  final HttpRequest base;
  private volatile HttpHeaders merged;

  LayeredRequest(HttpRequest base) {
    this.base = base;
  }

  @Override
  public HttpHeaders headers() {
    HttpHeaders h = merged;
    if (h == null) {
      h = FlatHeaders.toJdk(this);
      merged = h;
    }
    return h;
  }

  @Override
  public Optional<BodyPublisher> bodyPublisher() {
    return base.bodyPublisher();
  }

  @Override
  public String method() {
    return base.method();
  }

  @Override
  public Optional<Duration> timeout() {
    return base.timeout();
  }

  @Override
  public boolean expectContinue() {
    return base.expectContinue();
  }

  @Override
  public URI uri() {
    return base.uri();
  }

  @Override
  public Optional<HttpClient.Version> version() {
    return base.version();
  }
}
