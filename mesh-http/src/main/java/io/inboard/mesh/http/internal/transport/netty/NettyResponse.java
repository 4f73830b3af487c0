package io.inboard.mesh.http.internal.transport.netty;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import javax.net.ssl.SSLSession;

/** A response as the Netty transport received it; never a redirect's, so no previous one. */
record NettyResponse<T>(HttpRequest request, URI uri, int statusCode, HttpHeaders headers,
    T body, HttpClient.Version version, Optional<SSLSession> sslSession)
    implements HttpResponse<T> {

  @Override
  public Optional<HttpResponse<T>> previousResponse() {
    return Optional.empty();
  }
}
