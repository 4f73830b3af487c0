package io.inboard.mesh.gateway.internal;

import io.inboard.mesh.http.internal.transport.FlatHeaders;
import io.inboard.mesh.http.internal.transport.HeaderView;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * A downstream request as the mesh's routes see it: its URI's authority is the downstream
 * {@code Host}/{@code :authority} (virtual hosts and {@code :authority} matches read it there),
 * its headers are already filtered (see {@link ForwardedHeaders}). It keeps them flat, which the route engine and the Netty transport read through {@link HeaderView}: the
 * JDK's {@link HttpHeaders} are built only if something asks for them (a route's header
 * changes, a mirror, the JDK transport).
 */
final class UpstreamRequest extends HttpRequest implements HeaderView {

  private final URI uri;
  private final String method;
  private final FlatHeaders headers;
  private volatile HttpHeaders jdk;
  private final BodyPublisher body;
  private final HttpClient.Version version;

  /** @param headers names in lower case */
  UpstreamRequest(URI uri, String method, FlatHeaders headers, BodyPublisher body,
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
    HttpHeaders h = jdk;
    if (h == null) {
      h = headers.toJdk();
      jdk = h;
    }
    return h;
  }

  @Override
  public String firstHeader(String lowerName) {
    return headers.first(lowerName);
  }

  @Override
  public List<String> allHeaders(String lowerName) {
    return headers.all(lowerName);
  }

  @Override
  public void forEachHeader(BiConsumer<String, String> action) {
    headers.forEach(action);
  }

  @Override
  public boolean headersValidated() {
    return true; // by Netty's decoder, and the gateway's own additions are well formed
  }
}
