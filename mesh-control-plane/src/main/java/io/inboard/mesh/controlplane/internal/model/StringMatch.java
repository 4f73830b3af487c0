package io.inboard.mesh.controlplane.internal.model;

import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** How a request attribute is matched, as in Istio's {@code StringMatch}. */
public sealed interface StringMatch {

  /** Whether {@code value} matches; {@code null} (attribute absent) never matches. */
  boolean matches(String value);

  /** Equal to {@code value}. */
  record Exact(String value) implements StringMatch {
    public Exact {
      requireNonNull(value, "exact");
    }

    @Override
    public boolean matches(String v) {
      return value.equals(v);
    }
  }

  /** Starts with {@code value}. */
  record Prefix(String value) implements StringMatch {
    public Prefix {
      requireNonNull(value, "prefix");
    }

    @Override
    public boolean matches(String v) {
      return v != null && v.startsWith(value);
    }
  }

  /** Matches {@code regex} in full (RE2 semantics in Envoy; Java regex here). */
  record Regex(Pattern pattern) implements StringMatch {
    public Regex {
      requireNonNull(pattern, "regex");
    }

    /**
     * Compiles {@code regex}, naming {@code field} if it is invalid.
     */
    public static Regex of(String field, String regex) {
      try {
        return new Regex(Pattern.compile(regex));
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException(field + ": '" + regex
            + "' (expected: a valid regular expression: " + e.getDescription() + ")", e);
      }
    }

    @Override
    public boolean matches(String v) {
      return v != null && pattern.matcher(v).matches();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Regex r && r.pattern.pattern().equals(pattern.pattern());
    }

    @Override
    public int hashCode() {
      return pattern.pattern().hashCode();
    }
  }
}
