package io.inboard.mesh.http.internal.declarative;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A request path with {@code {name}} placeholders, split once into literal and placeholder
 * parts so that expanding it is a single pass.
 */
final class PathTemplate {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+");

  private final String text;
  private final List<String> literals = new ArrayList<>();
  private final List<String> names = new ArrayList<>();

  private PathTemplate(String text) {
    this.text = text;
  }

  /**
   * Parses {@code text}.
   *
   * @param field the annotation field, named in errors, for example {@code @Get.value}
   */
  static PathTemplate parse(String field, String text) {
    if (!text.startsWith("/")) {
      throw new IllegalArgumentException(
          field + ": '" + text + "' (expected: a path starting with '/')");
    }
    if (text.indexOf('?') >= 0 || text.indexOf('#') >= 0) {
      throw new IllegalArgumentException(field + ": '" + text
          + "' (expected: a path without query or fragment; use @QueryParam)");
    }
    PathTemplate t = new PathTemplate(text);
    int i = 0;
    StringBuilder literal = new StringBuilder();
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '}') {
        throw new IllegalArgumentException(
            field + ": '" + text + "' has '}' at " + i + " (expected: {name} placeholders)");
      }
      if (c != '{') {
        literal.append(c);
        i++;
        continue;
      }
      int end = text.indexOf('}', i);
      String name = end < 0 ? "" : text.substring(i + 1, end);
      if (end < 0 || !NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(field + ": '" + text + "' placeholder at " + i
            + " (expected: {name} with a name of letters, digits, '_', '.' or '-')");
      }
      t.literals.add(literal.toString());
      literal.setLength(0);
      t.names.add(name);
      i = end + 1;
    }
    t.literals.add(literal.toString());
    return t;
  }

  /** The placeholder names, in order of first appearance. */
  Set<String> names() {
    return new LinkedHashSet<>(names);
  }

  /** The path with each placeholder replaced by its percent-encoded value. */
  String expand(Map<String, String> values) {
    StringBuilder sb = new StringBuilder(text.length() + 16);
    for (int i = 0; i < names.size(); i++) {
      sb.append(literals.get(i)).append(encodeSegment(values.get(names.get(i))));
    }
    return sb.append(literals.get(names.size())).toString();
  }

  /** Percent-encodes {@code value} for a path segment or a query component. */
  static String encodeSegment(String value) {
    // URLEncoder writes form encoding: '+' for space, which paths do not decode.
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  @Override
  public String toString() {
    return text;
  }
}
