package io.inboard.mesh.security.internal.authz.match;

/**
 * Istio's string match ({@code pilot/pkg/security/authz/matcher/string.go}): {@code *} alone
 * means present (non-empty), {@code prefix*} a prefix, {@code *suffix} a suffix, anything else
 * an exact match. Matches a region of a string so that callers can match part of a SPIFFE ID or
 * a host without cutting it out.
 */
public sealed interface StringMatcher {

  /** Whether {@code s[from, to)} matches. */
  boolean matches(String s, int from, int to);

  /** Whether all of {@code s} matches; an absent ({@code null}) value never matches. */
  default boolean matches(String s) {
    return s != null && matches(s, 0, s.length());
  }

  /** Compiles one Istio pattern; {@code ignoreCase} for hosts. */
  static StringMatcher of(String pattern, boolean ignoreCase) {
    if (pattern.equals("*")) {
      return new Present();
    }
    if (pattern.startsWith("*")) {
      return new Suffix(pattern.substring(1), ignoreCase);
    }
    if (pattern.endsWith("*")) {
      return new Prefix(pattern.substring(0, pattern.length() - 1), ignoreCase);
    }
    return new Exact(pattern, ignoreCase);
  }

  /** Whether some of {@code matchers} matches {@code s[from, to)}. */
  static boolean any(StringMatcher[] matchers, String s, int from, int to) {
    for (StringMatcher m : matchers) {
      if (m.matches(s, from, to)) {
        return true;
      }
    }
    return false;
  }

  /** Whether some of {@code matchers} matches {@code s}; false when {@code s} is absent. */
  static boolean any(StringMatcher[] matchers, String s) {
    return s != null && any(matchers, s, 0, s.length());
  }

  record Exact(String value, boolean ignoreCase) implements StringMatcher {
    @Override
    public boolean matches(String s, int from, int to) {
      return to - from == value.length() && s.regionMatches(ignoreCase, from, value, 0, value.length());
    }
  }

  record Prefix(String prefix, boolean ignoreCase) implements StringMatcher {
    @Override
    public boolean matches(String s, int from, int to) {
      return to - from >= prefix.length() && s.regionMatches(ignoreCase, from, prefix, 0, prefix.length());
    }
  }

  record Suffix(String suffix, boolean ignoreCase) implements StringMatcher {
    @Override
    public boolean matches(String s, int from, int to) {
      int start = to - suffix.length();
      return start >= from && s.regionMatches(ignoreCase, start, suffix, 0, suffix.length());
    }
  }

  record Present() implements StringMatcher {
    @Override
    public boolean matches(String s, int from, int to) {
      return to > from;
    }
  }

  /** The text of a string, number or boolean; {@code null} for anything else. */
  public static String scalarText(Object value) {
    if (value instanceof String text) {
      return text;
    }
    if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      // protobuf Struct carries every number as a double: 8080.0 is the port 8080.
      return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
    if (value instanceof Number || value instanceof Boolean) {
      return value.toString();
    }
    return null;
  }
}
