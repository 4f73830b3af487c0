package io.inboard.mesh.telemetry.internal.accesslog;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parses one flat JSON object (string, number and null values), strictly enough to fail on a
 * malformed access-log line.
 */
final class FlatJson {

  private final String s;
  private int i;

  private FlatJson(String s) {
    this.s = s;
  }

  /** Key to value: {@link String}, {@link Long} or {@code null}, in the line's order. */
  static Map<String, Object> parse(String json) {
    return new FlatJson(json).object();
  }

  private Map<String, Object> object() {
    Map<String, Object> m = new LinkedHashMap<>();
    expect('{');
    while (true) {
      String key = string();
      expect(':');
      if (m.containsKey(key)) {
        throw new IllegalArgumentException("duplicate key " + key + ": " + s);
      }
      m.put(key, value());
      char c = s.charAt(i++);
      if (c == '}') {
        if (i != s.length()) {
          throw new IllegalArgumentException("trailing text at " + i + ": " + s);
        }
        return m;
      }
      if (c != ',') {
        throw new IllegalArgumentException("expected , or } at " + (i - 1) + ": " + s);
      }
    }
  }

  private Object value() {
    char c = s.charAt(i);
    if (c == '"') {
      return string();
    }
    if (s.startsWith("null", i)) {
      i += 4;
      return null;
    }
    int start = i;
    while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '-')) {
      i++;
    }
    return Long.parseLong(s.substring(start, i));
  }

  private String string() {
    expect('"');
    StringBuilder sb = new StringBuilder();
    for (char c = s.charAt(i++); c != '"'; c = s.charAt(i++)) {
      if (c == '\\') {
        char e = s.charAt(i++);
        switch (e) {
          case 'n' -> sb.append('\n');
          case 't' -> sb.append('\t');
          case 'r' -> sb.append('\r');
          case 'u' -> {
            sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
            i += 4;
          }
          default -> sb.append(e);
        }
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  private void expect(char c) {
    if (s.charAt(i++) != c) {
      throw new IllegalArgumentException("expected " + c + " at " + (i - 1) + ": " + s);
    }
  }
}
