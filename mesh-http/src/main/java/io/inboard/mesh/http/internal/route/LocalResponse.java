package io.inboard.mesh.http.internal.route;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodySubscriber;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import javax.net.ssl.SSLSession;

/**
 * A response the client answers itself, as Envoy does for an injected abort or a request no
 * route matches: a status, an empty body read through the caller's own body handler, and
 * {@code x-inboard-local-reply: <reason>} so callers can tell it from an upstream answer.
 */
public record LocalResponse<T>(HttpRequest request, int statusCode, HttpHeaders headers, T body)
    implements HttpResponse<T> {

  public static <T> CompletableFuture<HttpResponse<T>> of(HttpRequest request, int status, String reason,
      BodyHandler<T> handler) {
    return of(request, status, reason, null, handler);
  }

  /**
   * A local reply that also carries {@code location} (a redirect's target), unless it is
   * {@code null}.
   */
  public static <T> CompletableFuture<HttpResponse<T>> of(HttpRequest request, int status,
      String reason, String location, BodyHandler<T> handler) {
    HttpHeaders headers = HttpHeaders.of(location == null
        ? Map.of("x-inboard-local-reply", List.of(reason), "content-length", List.of("0"))
        : Map.of("x-inboard-local-reply", List.of(reason), "content-length", List.of("0"),
            "location", List.of(location)), (a, b) -> true);
    ResponseInfo info = new ResponseInfo() {
      @Override
      public int statusCode() {
        return status;
      }

      @Override
      public HttpHeaders headers() {
        return headers;
      }

      @Override
      public HttpClient.Version version() {
        return HttpClient.Version.HTTP_1_1;
      }
    };
    BodySubscriber<T> subscriber = handler.apply(info);
    subscriber.onSubscribe(new Flow.Subscription() {
      @Override
      public void request(long n) {}

      @Override
      public void cancel() {}
    });
    subscriber.onNext(List.<ByteBuffer>of());
    subscriber.onComplete();
    return subscriber.getBody().toCompletableFuture()
        .thenApply(body -> new LocalResponse<>(request, status, headers, body));
  }

  @Override
  public Optional<HttpResponse<T>> previousResponse() {
    return Optional.empty();
  }

  @Override
  public Optional<SSLSession> sslSession() {
    return Optional.empty();
  }

  @Override
  public URI uri() {
    return request.uri();
  }

  @Override
  public HttpClient.Version version() {
    return HttpClient.Version.HTTP_1_1;
  }
}
