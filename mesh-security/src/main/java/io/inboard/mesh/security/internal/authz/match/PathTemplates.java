package io.inboard.mesh.security.internal.authz.match;

import java.util.regex.Pattern;

/**
 * Istio's path templates ({@code pilot/pkg/security/authz/matcher}, validated as in {@code
 * CheckValidPathTemplate}): a whole segment {@code {*}} matches one non-empty segment, a whole
 * segment {@code {**}} matches the rest of the path, any characters including {@code /} (Envoy's
 * {@code uri_template}). {@code {**}} may appear once and must be the last operator; other
 * segments of a template are literals, without {@code *}.
 */
public final class PathTemplates {
  static final String MATCH_ONE = "{*}";
  static final String MATCH_ANY = "{**}";
  private static final Pattern LITERAL = Pattern.compile("[a-zA-Z0-9\\-._~%!$&'()+,;:@=]+");

  private PathTemplates() {}

  /** Whether {@code path} is a template (or tries to be one and must be rejected). */
  public static boolean isTemplate(String path) {
    return path.indexOf('{') >= 0 || path.indexOf('}') >= 0;
  }

  /**
   * The expectation {@code template} fails, or {@code null} when valid.
   */
  public static String validate(String template) {
    String trimmed = trimSlashes(template);
    boolean foundMatchAny = false;
    for (String segment : trimmed.split("/", -1)) {
      boolean operator = segment.equals(MATCH_ONE) || segment.equals(MATCH_ANY);
      if (operator && foundMatchAny) {
        return "{**} only once and as the last operator of a path template";
      }
      if (operator) {
        foundMatchAny = segment.equals(MATCH_ANY);
        continue;
      }
      if (segment.indexOf('{') >= 0 || segment.indexOf('}') >= 0) {
        return "'{' and '}' only in whole segments {*} or {**}";
      }
      if (!LITERAL.matcher(segment).matches()) {
        return "template segments that are {*}, {**} or a non-empty literal without '*'";
      }
    }
    return null;
  }

  /** Compiles a {@link #validate valid} template to a regular expression over the whole path. */
  public static Pattern compile(String template) {
    StringBuilder regex = new StringBuilder();
    String[] segments = template.split("/", -1);
    for (int i = 0; i < segments.length; i++) {
      if (i > 0) {
        regex.append('/');
      }
      String segment = segments[i];
      if (segment.equals(MATCH_ONE)) {
        regex.append("[^/]+");
      } else if (segment.equals(MATCH_ANY)) {
        regex.append(".*");
      } else if (!segment.isEmpty()) {
        regex.append(Pattern.quote(segment));
      }
    }
    return Pattern.compile(regex.toString());
  }

  private static String trimSlashes(String path) {
    int start = 0;
    int end = path.length();
    while (start < end && path.charAt(start) == '/') {
      start++;
    }
    while (end > start && path.charAt(end - 1) == '/') {
      end--;
    }
    return path.substring(start, end);
  }
}
