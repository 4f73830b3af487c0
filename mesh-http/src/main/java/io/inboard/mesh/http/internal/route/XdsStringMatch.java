package io.inboard.mesh.http.internal.route;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * Envoy's string and regex matchers, compiled once per config change. Regexes are RE2 (as in
 * Envoy, through re2j) and must match the whole value.
 */
public final class XdsStringMatch {

  private XdsStringMatch() {}

  public static Predicate<String> of(StringMatcher m, String field) {
    boolean ignoreCase = m.getIgnoreCase();
    return switch (m.getMatchPatternCase()) {
      case EXACT -> ignoreCase ? v -> v.equalsIgnoreCase(m.getExact()) : m.getExact()::equals;
      case PREFIX -> affix(m.getPrefix(), ignoreCase, true);
      case SUFFIX -> affix(m.getSuffix(), ignoreCase, false);
      case CONTAINS -> {
        String needle = ignoreCase ? m.getContains().toLowerCase(Locale.ROOT) : m.getContains();
        yield ignoreCase ? v -> v.toLowerCase(Locale.ROOT).contains(needle) : v -> v.contains(needle);
      }
      case SAFE_REGEX -> regex(m.getSafeRegex(), field + ".safe_regex");
      default -> throw new IllegalArgumentException(field + ": " + m.getMatchPatternCase()
          + " (expected: exact, prefix, suffix, contains or safe_regex)");
    };
  }

  static Predicate<String> regex(RegexMatcher r, String field) {
    try {
      Pattern p = Pattern.compile(r.getRegex());
      return v -> p.matcher(v).matches();
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(field + ".regex: '" + r.getRegex()
          + "' (expected: an RE2 regular expression; " + e.getDescription() + ")");
    }
  }

  private static Predicate<String> affix(String affix, boolean ignoreCase, boolean prefix) {
    if (!ignoreCase) {
      return prefix ? v -> v.startsWith(affix) : v -> v.endsWith(affix);
    }
    int n = affix.length();
    return prefix
        ? v -> v.regionMatches(true, 0, affix, 0, n)
        : v -> v.length() >= n && v.regionMatches(true, v.length() - n, affix, 0, n);
  }
}
