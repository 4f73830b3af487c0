package io.inboard.mesh.api.internal.telemetry.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A value of a Telemetry {@code spec} with its resource and path, so that every error names
 * both ({@code Telemetry default/mesh: spec.tracing[0].randomSamplingPercentage: 120
 * (expected: 0..100)}).
 *
 * @param source the resource, for messages
 * @param value a map, list, string, number, boolean, or {@code null} when absent
 * @param path the field path from the resource ({@code spec.tracing[0]})
 */
record SpecField(TelemetrySource source, Object value, String path) {

  static SpecField spec(TelemetrySource source) {
    return new SpecField(source, source.spec(), "spec");
  }

  boolean present() {
    return value != null;
  }

  SpecField get(String key) {
    Object child = value instanceof Map<?, ?> m ? m.get(key) : null;
    return new SpecField(source, child, path + "." + key);
  }

  /** Fails on a key outside {@code allowed}: Istio's schema would refuse it too. */
  SpecField onlyKeys(Set<String> allowed) {
    for (String k : map().keySet()) {
      if (!allowed.contains(k)) {
        throw new TelemetryException(source.id(), path + "." + k,
            "not a field of this message (expected one of " + new TreeSet<>(allowed) + ")");
      }
    }
    return this;
  }

  /** The entries of a mapping, in document order; empty when absent. */
  Map<String, SpecField> map() {
    if (value == null) {
      return Map.of();
    }
    if (!(value instanceof Map<?, ?> m)) {
      throw fail("a mapping");
    }
    Map<String, SpecField> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(String.valueOf(k),
        new SpecField(source, v, path + "." + k)));
    return out;
  }

  /** The elements of a list, each with its indexed path; empty when absent. */
  List<SpecField> list() {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof List<?> l)) {
      throw fail("a list");
    }
    List<SpecField> out = new ArrayList<>();
    for (int i = 0; i < l.size(); i++) {
      out.add(new SpecField(source, l.get(i), path + "[" + i + "]"));
    }
    return out;
  }

  String string() {
    if (!(value instanceof String s)) {
      throw fail("a string");
    }
    return s;
  }

  /** A non-empty string. */
  String name() {
    String s = value == null ? null : string();
    if (s == null || s.isEmpty()) {
      throw fail("a non-empty string");
    }
    return s;
  }

  boolean bool() {
    if (!(value instanceof Boolean b)) {
      throw fail("true or false");
    }
    return b;
  }

  double number() {
    if (!(value instanceof Number n)) {
      throw fail("a number");
    }
    return n.doubleValue();
  }

  /** One of {@code names} (an Istio enum); {@code fallback} when absent. */
  String oneOf(List<String> names, String fallback) {
    if (value == null) {
      return fallback;
    }
    String s = value instanceof String t ? t : null;
    if (s == null || !names.contains(s)) {
      throw fail("one of " + names);
    }
    return s;
  }

  TelemetryException fail(String expected) {
    return new TelemetryException(source.id(), path, shown() + " (expected: " + expected + ")");
  }

  TelemetryWarning warn(String detail) {
    return new TelemetryWarning(source.id(), path, detail);
  }

  private String shown() {
    if (value == null) {
      return "missing";
    }
    return value instanceof String s ? "'" + s + "'" : String.valueOf(value);
  }
}
