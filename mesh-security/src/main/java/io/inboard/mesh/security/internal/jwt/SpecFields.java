package io.inboard.mesh.security.internal.jwt;

import io.inboard.mesh.security.internal.authz.PolicyException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Typed reads from one object of a RequestAuthentication's JSON tree, each failure naming the
 * resource and the field's full path from {@code spec}.
 */
final class SpecFields {
  private final String resource;
  private final String path;
  private final Map<?, ?> object;

  private SpecFields(String resource, String path, Map<?, ?> object) {
    this.resource = resource;
    this.path = path;
    this.object = object;
  }

  /** Reads {@code value}, found at {@code path}, as a JSON object. */
  static SpecFields of(String resource, String path, Object value) {
    if (!(value instanceof Map<?, ?> map)) {
      throw new PolicyException(resource, path, describe(value) + " (expected: an object)");
    }
    return new SpecFields(resource, path, map);
  }

  String path() {
    return path;
  }

  String fieldPath(String field) {
    return path + "." + field;
  }

  PolicyException error(String field, String detail) {
    return new PolicyException(resource, fieldPath(field), detail);
  }

  /** Rejects any field not in {@code known}, so a misspelt field is not silently ignored. */
  void onlyFields(Set<String> known) {
    for (Object key : object.keySet()) {
      if (!known.contains(String.valueOf(key))) {
        throw error(String.valueOf(key),
            "unknown field (expected one of: " + String.join(", ", known.stream().sorted().toList()) + ")");
      }
    }
  }

  boolean has(String field) {
    return object.get(field) != null;
  }

  /** The string at {@code field}, or {@code null} when absent. */
  String string(String field) {
    Object value = object.get(field);
    if (value == null || value instanceof String) {
      return (String) value;
    }
    throw error(field, describe(value) + " (expected: a string)");
  }

  /** The non-empty string at {@code field}; absent or empty fails with {@code expected}. */
  String requiredString(String field, String expected) {
    String value = string(field);
    if (value == null || value.isEmpty()) {
      throw error(field, (value == null ? "missing" : "''") + " (expected: " + expected + ")");
    }
    return value;
  }

  boolean bool(String field, boolean absent) {
    Object value = object.get(field);
    if (value == null) {
      return absent;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    throw error(field, describe(value) + " (expected: true or false)");
  }

  /** The list at {@code field}, empty when absent. */
  List<?> list(String field) {
    Object value = object.get(field);
    if (value == null) {
      return List.of();
    }
    if (value instanceof List<?> list) {
      return list;
    }
    throw error(field, describe(value) + " (expected: a list)");
  }

  /** The list of non-empty strings at {@code field}, empty when absent. */
  List<String> strings(String field) {
    List<?> values = list(field);
    List<String> out = new ArrayList<>(values.size());
    for (int i = 0; i < values.size(); i++) {
      Object value = values.get(i);
      if (!(value instanceof String s) || s.isEmpty()) {
        throw error(field + "[" + i + "]", describe(value) + " (expected: a non-empty string)");
      }
      out.add(s);
    }
    return out;
  }

  /** The objects of the list at {@code field}, each with its own path. */
  List<SpecFields> objects(String field) {
    List<?> values = list(field);
    List<SpecFields> out = new ArrayList<>(values.size());
    for (int i = 0; i < values.size(); i++) {
      out.add(of(resource, fieldPath(field) + "[" + i + "]", values.get(i)));
    }
    return out;
  }

  static String describe(Object value) {
    if (value == null) {
      return "missing";
    }
    if (value instanceof String s) {
      return "'" + (s.length() > 80 ? s.substring(0, 80) + "..." : s) + "'";
    }
    if (value instanceof Map<?, ?>) {
      return "an object";
    }
    if (value instanceof List<?>) {
      return "a list";
    }
    return String.valueOf(value);
  }
}
