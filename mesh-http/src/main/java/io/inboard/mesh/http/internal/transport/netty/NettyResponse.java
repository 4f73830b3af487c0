package io.inboard.mesh.http.internal.transport.netty;

import io.inboard.mesh.http.internal.transport.HeaderView;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import javax.net.ssl.SSLSession;

/**
 * A response as the Netty transport received it; never a redirect's, so no previous one. Its
 * headers are read through {@link HeaderView} without building the JDK's form.
 */
record NettyResponse<T>(HttpRequest request, URI uri, int statusCode, ResponseHeaders heads,
    T body, HttpClient.Version version, Optional<SSLSession> sslSession)
    implements HttpResponse<T>, HeaderView {

  @Override
  public HttpHeaders headers() {
    return heads.jdk();
  }

  @Override
  public Optional<HttpResponse<T>> previousResponse() {
    return Optional.empty();
  }

  @Override
  public String firstHeader(String lowerName) {
    return heads.firstHeader(lowerName);
  }

  @Override
  public List<String> allHeaders(String lowerName) {
    return heads.allHeaders(lowerName);
  }

  @Override
  public void forEachHeader(BiConsumer<String, String> action) {
    heads.forEachHeader(action);
  }

  @Override
  public boolean headersValidated() {
    return true;
  }
}
