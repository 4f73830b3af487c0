package io.inboard.mesh.controlplane.internal.parse;

/**
 * Istio's rule for an Operation's {@code paths} with templates ({@code security.go
 * CheckValidPathTemplate}): {@code {*}} matches one path segment and {@code {**}} any number,
 * each only as a whole segment, {@code {**}} at most once and after every other template; a
 * path that holds a template may not also use the {@code *} prefix or suffix wildcard. Without
 * a template, braces are refused too, as Istio reads them as a broken template.
 */
final class PathTemplates {
  static final String ONE = "{*}";
  static final String ANY = "{**}";

  private PathTemplates() {}

  /** Checks one entry of {@code paths} or {@code notPaths}. */
  static void check(Node n) {
    String path = SecurityNodes.required(n, "a path such as /info, /api/*, or /api/{*}/items");
    boolean template = path.contains(ONE) || path.contains(ANY);
    boolean sawAny = false;
    for (String segment : trimSlashes(path).split("/", -1)) {
      if (segment.equals(ONE) && !sawAny) {
        continue;
      }
      if (segment.equals(ANY) && !sawAny) {
        sawAny = true;
        continue;
      }
      if (segment.contains("{") || segment.contains("}")) {
        throw n.fail("a path whose templates are whole segments {*} or {**}, with {**} last,"
            + " such as /api/{*}/items/{**}");
      }
      if (segment.contains("*") && template) {
        throw n.fail("a path with either templates ({*}, {**}) or a * prefix or suffix"
            + " wildcard, not both");
      }
    }
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
