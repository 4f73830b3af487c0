package io.inboard.mesh.http.internal.route;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Selects a virtual host by a request's authority with Envoy's domain matching, most specific
 * first: an exact domain, then the longest {@code *.suffix} (or {@code *suffix}) wildcard, then
 * the longest {@code prefix*} wildcard, then {@code *}. Domains are matched case-insensitively.
 * An authority with a port that no domain matches as written is matched again without its port,
 * so a domain {@code example.com} also serves {@code example.com:8080} (Istio's gateway virtual
 * hosts list both forms; this keeps hand-written configs working too). Built once per route
 * config change; a lookup allocates only the lower-cased authority.
 *
 * @param <V> what a domain selects
 */
public final class VirtualHosts<V> {

  private record Wildcard<V>(String text, V value) {}

  private final Map<String, V> exact;
  private final List<Wildcard<V>> suffixes;
  private final List<Wildcard<V>> prefixes;
  private final V any;

  private VirtualHosts(Map<String, V> exact, List<Wildcard<V>> suffixes,
      List<Wildcard<V>> prefixes, V any) {
    this.exact = exact;
    this.suffixes = suffixes;
    this.prefixes = prefixes;
    this.any = any;
  }

  /** Collects domains; the first virtual host to claim a domain keeps it, as Envoy rejects duplicates. */
  public static final class Builder<V> {
    private final Map<String, V> exact = new HashMap<>();
    private final Map<String, V> suffixes = new HashMap<>();
    private final Map<String, V> prefixes = new HashMap<>();
    private V any;

    /**
     * @throws IllegalArgumentException if {@code domain} is empty or has a {@code *} elsewhere
     *     than first or last
     */
    public Builder<V> add(String domain, V value) {
      String d = domain.toLowerCase(Locale.ROOT);
      if (d.equals("*")) {
        if (any == null) {
          any = value;
        }
      } else if (d.isEmpty() || d.indexOf('*', 1) >= 0 && d.indexOf('*', 1) != d.length() - 1
          || d.startsWith("*") && d.endsWith("*")) {
        throw new IllegalArgumentException("domain '" + domain + "' (expected: a host, *.suffix,"
            + " prefix* or *)");
      } else if (d.startsWith("*")) {
        suffixes.putIfAbsent(d.substring(1), value);
      } else if (d.endsWith("*")) {
        prefixes.putIfAbsent(d.substring(0, d.length() - 1), value);
      } else {
        exact.putIfAbsent(d, value);
      }
      return this;
    }

    public VirtualHosts<V> build() {
      return new VirtualHosts<>(Map.copyOf(exact), longestFirst(suffixes), longestFirst(prefixes),
          any);
    }

    private static <V> List<Wildcard<V>> longestFirst(Map<String, V> m) {
      List<Wildcard<V>> l = new ArrayList<>();
      m.forEach((k, v) -> l.add(new Wildcard<>(k, v)));
      l.sort(Comparator.comparingInt((Wildcard<V> w) -> w.text().length()).reversed());
      return List.copyOf(l);
    }
  }

  public static <V> Builder<V> builder() {
    return new Builder<>();
  }

  /** What {@code authority} ({@code host} or {@code host:port}) selects, or {@code null}. */
  public V select(String authority) {
    if (authority == null) {
      return any;
    }
    String a = authority.toLowerCase(Locale.ROOT);
    V v = specific(a);
    if (v != null) {
      return v;
    }
    int colon = a.lastIndexOf(':');
    if (colon > 0 && a.indexOf(']', colon) < 0) {
      v = specific(a.substring(0, colon));
      if (v != null) {
        return v;
      }
    }
    return any;
  }

  private V specific(String a) {
    V v = exact.get(a);
    if (v != null) {
      return v;
    }
    for (Wildcard<V> w : suffixes) {
      // Envoy's wildcard must match at least one character: "*.foo.com" does not match ".foo.com"
      if (a.length() > w.text().length() && a.endsWith(w.text())) {
        return w.value();
      }
    }
    for (Wildcard<V> w : prefixes) {
      if (a.length() > w.text().length() && a.startsWith(w.text())) {
        return w.value();
      }
    }
    return null;
  }
}
