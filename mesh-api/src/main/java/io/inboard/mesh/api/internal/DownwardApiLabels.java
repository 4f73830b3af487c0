package io.inboard.mesh.api.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a labels file of Kubernetes' downward API ({@code fieldPath: metadata.labels}): one
 * {@code key="value"} per line, sorted by key, the value quoted as Go's {@code strconv.Quote}
 * does (backslash escapes such as {@code \"}, {@code \\}, {@code \n}, {@code \t},
 * {@code \xNN}, {@code \\uNNNN}).
 */
final class DownwardApiLabels {
  private DownwardApiLabels() {}

  /**
   * The labels {@code content} holds; blank lines are skipped.
   *
   * @param source names the file in errors
   * @throws IllegalArgumentException for a malformed line, naming the source and line
   */
  static Map<String, String> parse(String content, String source) {
    Map<String, String> labels = new LinkedHashMap<>();
    String[] lines = content.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty()) {
        continue;
      }
      int eq = line.indexOf('=');
      if (eq <= 0 || line.length() < eq + 3 || line.charAt(eq + 1) != '"'
          || line.charAt(line.length() - 1) != '"') {
        throw malformed(source, i, line);
      }
      String value = unquote(line.substring(eq + 2, line.length() - 1));
      if (value == null) {
        throw malformed(source, i, line);
      }
      labels.put(line.substring(0, eq), value);
    }
    return labels;
  }

  private static IllegalArgumentException malformed(String source, int index, String line) {
    return new IllegalArgumentException("labels: '" + source + "' line " + (index + 1) + ": '"
        + line + "' (expected: key=\"value\", as the downward API writes metadata.labels)");
  }

  /** The unescaped text, or null when an escape is malformed or a quote is not escaped. */
  private static String unquote(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"') {
        return null;
      }
      if (c != '\\') {
        out.append(c);
        continue;
      }
      if (++i == s.length()) {
        return null;
      }
      char e = s.charAt(i);
      switch (e) {
        case '"', '\\', '\'' -> out.append(e);
        case 'n' -> out.append('\n');
        case 't' -> out.append('\t');
        case 'r' -> out.append('\r');
        case 'x', 'u' -> {
          int len = e == 'x' ? 2 : 4;
          try {
            out.append((char) Integer.parseInt(s.substring(i + 1, i + 1 + len), 16));
          } catch (NumberFormatException | IndexOutOfBoundsException ex) {
            return null;
          }
          i += len;
        }
        default -> {
          return null;
        }
      }
    }
    return out.toString();
  }
}
