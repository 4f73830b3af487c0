package io.inboard.mesh.http.internal.lb;

import io.inboard.mesh.http.internal.transport.FlatHeaders;
import io.inboard.mesh.http.internal.transport.Requests;
import io.inboard.mesh.api.policy.LoadBalancerPolicy;
import io.inboard.mesh.api.policy.LoadBalancerPolicy.HashKey;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Computes a request's consistent-hash key. A request without the key (no such header, cookie
 * or query parameter) gets a random hash, so it is spread like {@code RANDOM}, as in Envoy.
 */
public final class HashKeys {

  private HashKeys() {}

  /** The hash for {@code request}, or {@code 0} when {@code policy} does not hash. */
  public static long hash(LoadBalancerPolicy policy, HttpRequest request) {
    if (!(policy instanceof LoadBalancerPolicy.ConsistentHash ch)) {
      return 0;
    }
    String value = value(ch.key(), request);
    return value == null ? ThreadLocalRandom.current().nextLong() : Hashing.hash(value);
  }

  /** The hash of {@code key}'s value in {@code request}; random without a key or a value. */
  public static long hash(HashKey key, HttpRequest request) {
    String value = key == null ? null : value(key, request);
    return value == null ? ThreadLocalRandom.current().nextLong() : Hashing.hash(value);
  }

  static String value(HashKey key, HttpRequest request) {
    if (key instanceof HashKey.Header h) {
      return Requests.header(request, FlatHeaders.lower(h.name()));
    }
    if (key instanceof HashKey.Cookie c) {
      for (String header : Requests.headers(request, "cookie")) {
        String v = cookie(header, c.name());
        if (v != null) {
          return v;
        }
      }
      return null;
    }
    if (key instanceof HashKey.QueryParameter q) {
      return queryParameter(request.uri().getRawQuery(), q.name());
    }
    // SourceIp: every call from this process has the same source, so they all share one key.
    return "source";
  }

  static String cookie(String header, String name) {
    for (String pair : header.split(";")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).trim().equals(name)) {
        return pair.substring(eq + 1).trim();
      }
    }
    return null;
  }

  public static String queryParameter(String rawQuery, String name) {
    if (rawQuery == null) {
      return null;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      if (URLDecoder.decode(k, StandardCharsets.UTF_8).equals(name)) {
        return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }
}
