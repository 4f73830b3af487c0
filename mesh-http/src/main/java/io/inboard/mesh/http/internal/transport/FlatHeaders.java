package io.inboard.mesh.http.internal.transport;

import java.net.http.HttpHeaders;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * Headers as a flat list of lower-case names and values, in the order they were added: the
 * form a proxied request or response is read in. A message has a dozen headers or so, which a
 * scan of {@code String.equals} (length first) finds faster than a hash of the name, and which
 * are copied out again in one pass.
 */
public final class FlatHeaders {

  private String[] pairs;
  private int size; // pairs used, times two

  /** @param expected how many headers to make room for */
  public FlatHeaders(int expected) {
    pairs = new String[Math.max(2, expected * 2)];
  }

  /** Adds a header; {@code lowerName} must be in lower case. */
  public void add(String lowerName, String value) {
    if (size == pairs.length) {
      pairs = Arrays.copyOf(pairs, size * 2);
    }
    pairs[size++] = lowerName;
    pairs[size++] = value;
  }

  /** Adds a header whose name may be in any case. */
  public void addAnyCase(String name, String value) {
    add(lower(name), value);
  }

  /** Whether no header was added. */
  public boolean isEmpty() {
    return size == 0;
  }

  /** The first value of {@code lowerName}, or {@code null}. */
  public String first(String lowerName) {
    for (int i = 0; i < size; i += 2) {
      if (pairs[i].equals(lowerName)) {
        return pairs[i + 1];
      }
    }
    return null;
  }

  /** Every value of {@code lowerName}. */
  public List<String> all(String lowerName) {
    List<String> out = null;
    for (int i = 0; i < size; i += 2) {
      if (pairs[i].equals(lowerName)) {
        if (out == null) {
          out = new ArrayList<>(2);
        }
        out.add(pairs[i + 1]);
      }
    }
    return out == null ? List.of() : out;
  }

  /** Hands each header to {@code action}, in order. */
  public void forEach(BiConsumer<String, String> action) {
    for (int i = 0; i < size; i += 2) {
      action.accept(pairs[i], pairs[i + 1]);
    }
  }

  /** The JDK's form (a new copy). */
  public HttpHeaders toJdk() {
    Map<String, List<String>> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (int i = 0; i < size; i += 2) {
      map.computeIfAbsent(pairs[i], k -> new ArrayList<>(1)).add(pairs[i + 1]);
    }
    return HttpHeaders.of(map, (n, v) -> true);
  }

  /**
   * The JDK's form of {@code source}'s headers, names in lower case, built straight from the
   * view: no flat copy first, and one immutable list per name (the JDK's {@code HttpHeaders.of}
   * copies the map once more in any case). A try's request makes it for the JDK transport.
   */
  public static HttpHeaders toJdk(HeaderView source) {
    Map<String, List<String>> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    source.forEachHeader((n, v) -> map.merge(lower(n), List.of(v), FlatHeaders::joined));
    return HttpHeaders.of(map, (n, v) -> true);
  }

  private static List<String> joined(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a.size() + b.size());
    out.addAll(a);
    out.addAll(b);
    return out;
  }

  /** {@code name} in lower case, without a copy when it already is. */
  public static String lower(String name) {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        return name.toLowerCase(Locale.ROOT);
      }
    }
    return name;
  }
}
