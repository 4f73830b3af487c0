package io.inboard.mesh.gateway.internal;

import io.inboard.mesh.http.internal.transport.FlatHeaders;
import io.inboard.mesh.http.internal.transport.Requests;

import io.netty.handler.codec.http.HttpHeaders;
import java.util.Iterator;
import java.net.http.HttpClient;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The headers a request and a response keep across the gateway, as Envoy's edge proxy treats
 * them: hop-by-hop headers ({@code connection} and what it names, {@code keep-alive},
 * {@code transfer-encoding}, {@code te} except {@code trailers}, {@code upgrade},
 * {@code proxy-*}) are dropped; the framing headers the transport sets itself
 * ({@code content-length}, {@code expect}, {@code host}) too. Upstream requests get
 * {@code x-forwarded-for} (the client's address appended), {@code x-forwarded-proto},
 * {@code x-envoy-external-address} and an {@code x-request-id} when they have none.
 */
final class ForwardedHeaders {

  private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive",
      "transfer-encoding", "te", "upgrade", "proxy-connection", "proxy-authenticate",
      "proxy-authorization", "content-length", "expect", "host", "http2-settings",
      // only the gateway says which authority the transport sends upstream
      Requests.UPSTREAM_AUTHORITY_HEADER);

  private ForwardedHeaders() {}

  /**
   * The upstream request's headers, names in lower case. Not checked again: Netty's decoder
   * checked the downstream ones, and the gateway adds only its own.
   */
  static FlatHeaders request(HttpHeaders in, String authority, String clientIp,
      boolean secure) {
    FlatHeaders out = new FlatHeaders(in.size() + 5);
    Set<String> named = connectionNamed(in.getAll("connection"));
    String xff = null;
    boolean hasRequestId = false;
    for (Iterator<Map.Entry<CharSequence, CharSequence>> it = in.iteratorCharSequence();
        it.hasNext(); ) {
      Map.Entry<CharSequence, CharSequence> e = it.next();
      String name = FlatHeaders.lower(e.getKey().toString());
      String value = e.getValue().toString();
      if (name.equals("te")) {
        if (value.toLowerCase(Locale.ROOT).contains("trailers")) {
          out.add("te", "trailers");
        }
        continue;
      }
      if (HOP_BY_HOP.contains(name) || name.startsWith("proxy-") || name.startsWith("x-http2-")
          || name.startsWith(":") || named.contains(name)) {
        continue;
      }
      switch (name) {
        case "x-forwarded-for" -> xff = xff == null ? value : xff + "," + value;
        case "x-forwarded-proto", "x-envoy-external-address" -> { } // the gateway's own, below
        default -> {
          hasRequestId |= name.equals("x-request-id");
          out.add(name, value);
        }
      }
    }
    // the Netty transport sends it as Host / :authority, as Envoy forwards the downstream one
    out.add(Requests.UPSTREAM_AUTHORITY_HEADER, authority);
    out.add("x-forwarded-for", xff == null ? clientIp : xff + "," + clientIp);
    out.add("x-forwarded-proto", secure ? "https" : "http");
    out.add("x-envoy-external-address", clientIp);
    if (!hasRequestId) {
      out.add("x-request-id", RequestIds.next());
    }
    return out;
  }

  /** Copies a response's headers downstream, without hop-by-hop and framing ones. */
  static void response(java.net.http.HttpResponse<?> in, HttpHeaders out) {
    Set<String> named = connectionNamed(Requests.headers(in, "connection"));
    Requests.forEachHeader(in, (n, value) -> {
      String name = FlatHeaders.lower(n);
      if (!HOP_BY_HOP.contains(name) && !name.startsWith(":") && !named.contains(name)) {
        out.add(name, value);
      }
    });
  }

  /** The header names a {@code Connection} header's values list (hop-by-hop by name). */
  private static Set<String> connectionNamed(List<String> c) {
    if (c.isEmpty()) {
      return Set.of();
    }
    Set<String> s = new java.util.HashSet<>();
    for (String v : c) {
      for (String n : v.split(",")) {
        s.add(n.trim().toLowerCase(Locale.ROOT));
      }
    }
    return s;
  }

  /**
   * The upstream version: HTTP/2 for gRPC, which needs HTTP/2 end to end (its status travels in
   * trailers), else HTTP/1.1 whatever the downstream spoke, as Envoy picks the upstream protocol
   * by the cluster rather than by the client (an HTTP/1.1-only backend behind an h2 client).
   */
  static HttpClient.Version version(boolean http2, HttpHeaders in) {
    String type = in.get("content-type");
    return http2 && type != null && type.regionMatches(true, 0, "application/grpc", 0, 16)
        ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1;
  }
}
