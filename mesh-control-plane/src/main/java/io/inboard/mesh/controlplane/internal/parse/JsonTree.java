package io.inboard.mesh.controlplane.internal.parse;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A document's value as a JSON tree, the form {@code PolicySource} carries: mappings with
 * string keys, lists, strings, numbers, booleans and nulls, unmodifiable. SnakeYAML may give a
 * mapping key as a number and an unquoted timestamp as a {@link Date}; both become text.
 */
final class JsonTree {
  private JsonTree() {}

  /** The mapping {@code value} holds as a JSON tree; empty when it is absent. */
  static Map<String, Object> mapping(Object value) {
    return value instanceof Map<?, ?> m ? copyMap(m) : Map.of();
  }

  private static Map<String, Object> copyMap(Map<?, ?> m) {
    Map<String, Object> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(String.valueOf(k), copy(v)));
    return Collections.unmodifiableMap(out);
  }

  private static Object copy(Object v) {
    if (v instanceof Map<?, ?> m) {
      return copyMap(m);
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      l.forEach(e -> out.add(copy(e)));
      return Collections.unmodifiableList(out);
    }
    if (v instanceof Date d) {
      return d.toInstant().toString();
    }
    return v;
  }
}
