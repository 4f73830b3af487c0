package io.inboard.mesh.controlplane.internal.parse;

import io.inboard.mesh.api.internal.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A value in a parsed YAML document together with its path, so that every type error names the
 * field it is about ({@code spec.http[0].route[1].weight}).
 *
 * @param value the raw SnakeYAML value (map, list, string, number, boolean) or {@code null}
 * @param path the field path from the document root
 */
public record Node(Object value, String path) {

  /** The child {@code key}; absent children have a {@code null} value. */
  public Node get(String key) {
    Object child = value instanceof Map<?, ?> m ? m.get(key) : null;
    if (child == null && value instanceof Map<?, ?> m) {
      // YAML reads an unquoted key such as 8080 as a number; keys() gives it as text
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!(e.getKey() instanceof String) && String.valueOf(e.getKey()).equals(key)) {
          child = e.getValue();
        }
      }
    }
    return new Node(child, path.isEmpty() ? key : path + "." + key);
  }

  /** Whether the field is set. */
  public boolean present() {
    return value != null;
  }

  /** The keys of a mapping, in document order; empty when absent. */
  public Set<String> keys() {
    if (value == null) {
      return Set.of();
    }
    Map<?, ?> map = requireMap();
    Set<String> keys = new java.util.LinkedHashSet<>();
    map.keySet().forEach(k -> keys.add(String.valueOf(k)));
    return keys;
  }

  /** The elements of a list, each with its indexed path; empty when absent. */
  public List<Node> list() {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof List<?> l)) {
      throw fail("a list");
    }
    List<Node> out = new ArrayList<>();
    for (int i = 0; i < l.size(); i++) {
      out.add(new Node(l.get(i), path + "[" + i + "]"));
    }
    return out;
  }

  /** A required string. */
  public String string() {
    if (value == null) {
      throw new FieldException(path, "missing (expected: a string)");
    }
    return scalarText("a string");
  }

  /** An optional string. */
  public Optional<String> optString() {
    return value == null ? Optional.empty() : Optional.of(scalarText("a string"));
  }

  /** An integer in {@code min..max}, or {@code defaultValue} when absent. */
  public int integer(int min, int max, int defaultValue) {
    if (value == null) {
      return defaultValue;
    }
    String expected = "an integer " + min + ".." + max;
    long n;
    if (value instanceof Integer || value instanceof Long) {
      n = ((Number) value).longValue();
    } else if (value instanceof String s && s.matches("-?\\d{1,18}")) {
      n = Long.parseLong(s); // proto JSON accepts integers written as strings
    } else {
      throw fail(expected);
    }
    if (n < min || n > max) {
      throw fail(expected);
    }
    return (int) n;
  }

  /** A number in {@code min..max}, or {@code defaultValue} when absent. */
  public double number(double min, double max, double defaultValue) {
    if (value == null) {
      return defaultValue;
    }
    String expected = "a number " + min + ".." + max;
    double d;
    if (value instanceof Number num) {
      d = num.doubleValue();
    } else {
      try {
        d = Double.parseDouble(String.valueOf(value));
      } catch (NumberFormatException e) {
        throw fail(expected);
      }
    }
    if (!(d >= min && d <= max)) {
      throw fail(expected);
    }
    return d;
  }

  /** A duration such as {@code 500ms} or {@code 2s}. */
  public Optional<Duration> duration() {
    if (value == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Durations.parse(path, scalarText("a duration")));
    } catch (FieldException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw fail("a duration such as 250ms, 1.5s, 2m or 1h");
    }
  }

  /** A mapping of strings to strings, such as labels; empty when absent. */
  public Map<String, String> stringMap() {
    Map<String, String> out = new LinkedHashMap<>();
    for (String key : keys()) {
      out.put(key, get(key).scalarText("a string"));
    }
    return out;
  }

  /** An error naming this field, its value and {@code expected}. */
  public FieldException fail(String expected) {
    return new FieldException(path, render() + " (expected: " + expected + ")");
  }

  private Map<?, ?> requireMap() {
    if (!(value instanceof Map<?, ?> m)) {
      throw fail("a mapping");
    }
    return m;
  }

  private String scalarText(String expected) {
    if (value instanceof Map || value instanceof List) {
      throw fail(expected);
    }
    return String.valueOf(value);
  }

  private String render() {
    if (value instanceof Map) {
      return "a mapping";
    }
    if (value instanceof List) {
      return "a list";
    }
    return value instanceof String ? "'" + value + "'" : String.valueOf(value);
  }
}
