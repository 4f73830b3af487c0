package io.inboard.mesh.telemetry.internal;

import java.util.Map;

/**
 * Writes maps, lists, strings, numbers, booleans and {@code null} as indented JSON; anything
 * else as its {@code toString()}. Enough for {@code /debug/config_dump} without a JSON library.
 */
public final class Json {

  private Json() {}

  static String write(Object value) {
    StringBuilder sb = new StringBuilder();
    write(sb, value, 0);
    return sb.append('\n').toString();
  }

  private static void write(StringBuilder sb, Object v, int depth) {
    if (v == null) {
      sb.append("null");
    } else if (v instanceof Number || v instanceof Boolean) {
      sb.append(v);
    } else if (v instanceof Map<?, ?> m) {
      writeMap(sb, m, depth);
    } else if (v instanceof Iterable<?> it) {
      sb.append('[');
      String sep = "";
      for (Object o : it) {
        sb.append(sep).append('\n').append("  ".repeat(depth + 1));
        write(sb, o, depth + 1);
        sep = ",";
      }
      sb.append(sep.isEmpty() ? "" : "\n" + "  ".repeat(depth)).append(']');
    } else {
      string(sb, v.toString());
    }
  }

  private static void writeMap(StringBuilder sb, Map<?, ?> m, int depth) {
    sb.append('{');
    String sep = "";
    for (Map.Entry<?, ?> e : m.entrySet()) {
      sb.append(sep).append('\n').append("  ".repeat(depth + 1));
      string(sb, String.valueOf(e.getKey()));
      sb.append(": ");
      write(sb, e.getValue(), depth + 1);
      sep = ",";
    }
    sb.append(sep.isEmpty() ? "" : "\n" + "  ".repeat(depth)).append('}');
  }

  /** Appends {@code s} as a JSON string literal, quoted and escaped. */
  public static void string(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
