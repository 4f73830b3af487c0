package io.inboard.mesh.security.internal.authz;

import io.inboard.mesh.security.internal.authz.match.StringMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the JSON tree of a {@code spec} (as YAML or protobuf's {@code Struct} gives it) with
 * errors that name the field: numbers may be {@code Long}, {@code Integer} or {@code Double},
 * and a port may be a string.
 */
final class SpecValues {
  private SpecValues() {}

  /** {@code value} as a mapping; {@code null} (absent) becomes an empty one. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> mapping(PolicyContext ctx, Object value, String field) {
    if (value == null) {
      return Map.of();
    }
    if (!(value instanceof Map<?, ?>)) {
      throw ctx.error(field, value, "a mapping");
    }
    return (Map<String, Object>) value;
  }

  /** {@code value} as a list; {@code null} (absent) becomes an empty one. */
  static List<?> list(PolicyContext ctx, Object value, String field) {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof List<?> list)) {
      throw ctx.error(field, value, "a list");
    }
    return list;
  }

  /** The strings under {@code key} of {@code map}; numbers and booleans as their text. */
  static List<String> strings(PolicyContext ctx, Map<String, Object> map, String key, String field) {
    List<?> values = list(ctx, map.get(key), field);
    List<String> out = new ArrayList<>(values.size());
    for (int i = 0; i < values.size(); i++) {
      Object value = values.get(i);
      String text = StringMatcher.scalarText(value);
      if (text == null) {
        throw ctx.error(field + "[" + i + "]", value, "a string");
      }
      out.add(text);
    }
    return out;
  }

  /** A port number (1..65535) from a number or a string. */
  static int port(PolicyContext ctx, Object value, String field) {
    String text = StringMatcher.scalarText(value);
    if (text != null && !text.isEmpty() && text.length() <= 5 && text.chars().allMatch(Character::isDigit)) {
      int port = Integer.parseInt(text);
      if (port >= 1 && port <= 65535) {
        return port;
      }
    }
    throw ctx.error(field, value, "a port number from 1 to 65535");
  }

  /** Rejects a key of {@code map} not in {@code known}, naming it and the fields expected. */
  static void requireKnownFields(PolicyContext ctx, Map<String, Object> map, Set<String> known,
      String field, String kind) {
    for (Object key : map.keySet()) {
      if (!(key instanceof String) || !known.contains(key)) {
        throw ctx.error(field + "." + key, key,
            "a field of " + kind + ": " + String.join(", ", known.stream().sorted().toList()));
      }
    }
  }


}
