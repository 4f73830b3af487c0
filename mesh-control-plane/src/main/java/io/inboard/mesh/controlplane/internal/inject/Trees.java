package io.inboard.mesh.controlplane.internal.inject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Helpers over a parsed YAML or JSON document as plain Java values: {@code Map<String, Object>}
 * (ordered), {@code List<Object>}, strings, numbers, booleans and null. Fields nobody reads are
 * carried along untouched.
 */
final class Trees {
  private Trees() {}

  /** {@code parent[key]} as a map, or null when absent or not a map. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Map<String, Object> parent, String key) {
    return parent != null && parent.get(key) instanceof Map<?, ?> m ? (Map<String, Object>) m
        : null;
  }

  /** {@code parent[key]} as a list, or null when absent or not a list. */
  @SuppressWarnings("unchecked")
  static List<Object> list(Map<String, Object> parent, String key) {
    return parent != null && parent.get(key) instanceof List<?> l ? (List<Object>) l : null;
  }

  /** {@code parent[key]} as a string, or "" when absent or not a string. */
  static String string(Map<String, Object> parent, String key) {
    return parent != null && parent.get(key) instanceof String s ? s : "";
  }

  /** {@code parent[key]} as a map, made (empty) when absent. */
  static Map<String, Object> mapOrCreate(Map<String, Object> parent, String key) {
    Map<String, Object> m = map(parent, key);
    if (m == null) {
      m = new LinkedHashMap<>();
      parent.put(key, m);
    }
    return m;
  }

  /** {@code parent[key]} as a list, made (empty) when absent. */
  static List<Object> listOrCreate(Map<String, Object> parent, String key) {
    List<Object> l = list(parent, key);
    if (l == null) {
      l = new ArrayList<>();
      parent.put(key, l);
    }
    return l;
  }

  /** A deep, mutable copy. */
  static Object copy(Object value) {
    if (value instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, v) -> out.put(String.valueOf(k), copy(v)));
      return out;
    }
    if (value instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      l.forEach(v -> out.add(copy(v)));
      return out;
    }
    return value;
  }
}
