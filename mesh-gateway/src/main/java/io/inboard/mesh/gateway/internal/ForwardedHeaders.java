package io.inboard.mesh.gateway.internal;

import io.inboard.mesh.http.internal.transport.Requests;

import io.netty.handler.codec.http.HttpHeaders;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

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

  /** The upstream request's headers. */
  static java.net.http.HttpHeaders request(HttpHeaders in, String authority, String clientIp,
      boolean secure) {
    Map<String, List<String>> out = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    Set<String> named = connectionNamed(in.getAll("connection"));
    for (Map.Entry<String, String> e : in) {
      String name = e.getKey().toLowerCase(Locale.ROOT);
      if (name.equals("te")) {
        if (e.getValue().toLowerCase(Locale.ROOT).contains("trailers")) {
          out.computeIfAbsent("te", k -> new ArrayList<>()).add("trailers");
        }
        continue;
      }
      if (HOP_BY_HOP.contains(name) || name.startsWith("proxy-") || name.startsWith("x-http2-")
          || name.startsWith(":") || named.contains(name)) {
        continue;
      }
      out.computeIfAbsent(name, k -> new ArrayList<>()).add(e.getValue());
    }
    // the Netty transport sends it as Host / :authority, as Envoy forwards the downstream one
    out.put(Requests.UPSTREAM_AUTHORITY_HEADER, List.of(authority));
    List<String> xff = out.get("x-forwarded-for");
    out.put("x-forwarded-for", List.of(xff == null ? clientIp
        : String.join(",", xff) + "," + clientIp));
    out.put("x-forwarded-proto", List.of(secure ? "https" : "http"));
    out.put("x-envoy-external-address", List.of(clientIp));
    out.putIfAbsent("x-request-id", List.of(UUID.randomUUID().toString()));
    return java.net.http.HttpHeaders.of(out, (a, b) -> true);
  }

  /** Copies a response's headers downstream, without hop-by-hop and framing ones. */
  static void response(java.net.http.HttpHeaders in, HttpHeaders out) {
    Set<String> named = connectionNamed(in.allValues("connection"));
    for (Map.Entry<String, List<String>> e : in.map().entrySet()) {
      String name = e.getKey().toLowerCase(Locale.ROOT);
      if (HOP_BY_HOP.contains(name) || name.startsWith(":") || named.contains(name)) {
        continue;
      }
      out.add(name, e.getValue());
    }
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
