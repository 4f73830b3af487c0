package io.inboard.mesh.api.internal.telemetry.policy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Telemetry specs written as JSON trees, as YAML loads them. */
final class Specs {
  private Specs() {}

  /** A mapping of alternating keys and values. */
  static Map<String, Object> map(Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }

  static List<Object> list(Object... items) {
    return Arrays.asList(items);
  }

  static TelemetrySource source(String namespace, String name, Map<String, Object> spec) {
    return new TelemetrySource(namespace, name, spec);
  }

  static TelemetrySource source(Map<String, Object> spec) {
    return source("default", "t", spec);
  }

  static Map<String, Object> providers(String... names) {
    return map("providers", Arrays.stream(names).map(n -> (Object) map("name", n)).toList());
  }

  static TelemetryCompilation compile(TelemetrySource... sources) {
    return TelemetryCompiler.compileWithWarnings(List.of(sources), List.of());
  }
}
