package io.inboard.mesh.http.internal.transport.netty;

import io.inboard.mesh.http.internal.transport.HeaderView;
import io.inboard.mesh.http.internal.transport.Requests;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Converts request heads to Netty's and response heads to the JDK's. */
final class Heads {

  /**
   * Sent as {@code Host} ({@code :authority}) instead of the URI's authority, and not forwarded
   * (see {@link Requests#UPSTREAM_AUTHORITY_HEADER}). A {@code host} header (only a custom
   * {@link HttpRequest} can carry one) is honoured the same way.
   */
  static final String AUTHORITY_OVERRIDE = Requests.UPSTREAM_AUTHORITY_HEADER;

  // connection-specific headers HTTP/2 forbids (RFC 9113 8.2.2), plus the authority carriers
  private static final Set<String> NOT_FORWARDED_H2 = Set.of("connection", "keep-alive",
      "proxy-connection", "transfer-encoding", "upgrade", "host", AUTHORITY_OVERRIDE);
  private static final Set<String> NOT_FORWARDED_H1 = Set.of("host", AUTHORITY_OVERRIDE,
      "content-length", "transfer-encoding");

  private Heads() {}

  /** The authority to send: the override header, a {@code host} header, or the URI's. */
  static String authority(HttpRequest request) {
    String a = Requests.header(request, AUTHORITY_OVERRIDE);
    if (a == null) {
      a = Requests.header(request, "host");
    }
    return a != null ? a : request.uri().getRawAuthority();
  }

  static String pathAndQuery(URI uri) {
    String path = uri.getRawPath();
    if (path == null || path.isEmpty()) {
      path = "/";
    }
    String query = uri.getRawQuery();
    return query == null ? path : path + '?' + query;
  }

  /** The body's length: {@code 0} for none, {@code -1} when unknown (sent chunked). */
  static long contentLength(HttpRequest request) {
    return request.bodyPublisher().map(HttpRequest.BodyPublisher::contentLength).orElse(0L);
  }

  // a request's headers are checked once: by the JDK's builder or Netty's decoder (see
  // HeaderView.headersValidated); any other request's are checked here, against header injection
  private static final HttpHeadersFactory CHECKED = DefaultHttpHeadersFactory.headersFactory();
  private static final HttpHeadersFactory UNCHECKED =
      DefaultHttpHeadersFactory.headersFactory().withValidation(false);

  private static boolean validated(HttpRequest request) {
    return request instanceof HeaderView v && v.headersValidated();
  }

  static DefaultHttpRequest http1(HttpRequest request, long contentLength) {
    DefaultHttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1,
        HttpMethod.valueOf(request.method()), pathAndQuery(request.uri()),
        validated(request) ? UNCHECKED : CHECKED);
    io.netty.handler.codec.http.HttpHeaders h = head.headers();
    h.set(HttpHeaderNames.HOST, authority(request));
    Requests.forEachHeader(request, (name, value) -> {
      if (!NOT_FORWARDED_H1.contains(name.toLowerCase(Locale.ROOT))) {
        h.add(name, value);
      }
    });
    if (contentLength > 0 || (contentLength == 0 && bodyExpected(request.method()))) {
      h.set(HttpHeaderNames.CONTENT_LENGTH, contentLength);
    } else if (contentLength < 0) {
      h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    }
    return head;
  }

  // as the JDK client: an empty POST or PUT still says "Content-Length: 0"
  private static boolean bodyExpected(String method) {
    return !method.equals("GET") && !method.equals("HEAD") && !method.equals("DELETE")
        && !method.equals("OPTIONS") && !method.equals("TRACE") && !method.equals("CONNECT");
  }

  static Http2Headers http2(HttpRequest request, boolean tls, long contentLength) {
    Http2Headers h = new DefaultHttp2Headers(false)
        .method(request.method())
        .scheme(tls ? "https" : "http")
        .path(pathAndQuery(request.uri()))
        .authority(authority(request));
    Requests.forEachHeader(request, (n, v) -> {
      String name = n.toLowerCase(Locale.ROOT);
      if (!NOT_FORWARDED_H2.contains(name) && !name.startsWith(":")
          && (!name.equals("te") || v.equalsIgnoreCase("trailers"))) {
        h.add(name, v);
      }
    });
    if (contentLength > 0) {
      h.set("content-length", Long.toString(contentLength));
    }
    return h;
  }

  /** Netty's HTTP/1.1 headers as the JDK's (names in lower case). */
  static HttpHeaders jdk(io.netty.handler.codec.http.HttpHeaders netty) {
    if (netty.isEmpty()) {
      return EMPTY;
    }
    Map<String, List<String>> map = new HashMap<>();
    for (Map.Entry<String, String> e : netty) {
      map.computeIfAbsent(e.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>(1))
          .add(e.getValue());
    }
    return HttpHeaders.of(map, ALL);
  }

  /** HTTP/2 headers as the JDK's, without pseudo-headers. */
  static HttpHeaders jdk(Http2Headers netty) {
    Map<String, List<String>> map = new HashMap<>();
    for (Map.Entry<CharSequence, CharSequence> e : netty) {
      String name = e.getKey().toString();
      if (!name.startsWith(":")) {
        map.computeIfAbsent(name, k -> new ArrayList<>(1)).add(e.getValue().toString());
      }
    }
    return map.isEmpty() ? EMPTY : HttpHeaders.of(map, ALL);
  }

  private static final java.util.function.BiPredicate<String, String> ALL = (n, v) -> true;
  static final HttpHeaders EMPTY = HttpHeaders.of(Map.of(), ALL);
}
