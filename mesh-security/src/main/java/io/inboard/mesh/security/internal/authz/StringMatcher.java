package io.inboard.mesh.security.internal.authz;

/**
 * Istio's string match ({@code pilot/pkg/security/authz/matcher/string.go}): {@code *} alone
 * means present (non-empty), {@code prefix*} a prefix, {@code *suffix} a suffix, anything else
 * an exact match. Matches a region of a string so that callers can match part of a SPIFFE ID or
 * a host without cutting it out.
 */
sealed interface StringMatcher {

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
}
