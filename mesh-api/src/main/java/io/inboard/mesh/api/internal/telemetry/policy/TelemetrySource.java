package io.inboard.mesh.api.internal.telemetry.policy;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * One {@code Telemetry} resource as written: where it came from and its {@code spec}, parsed
 * from YAML or JSON to maps, lists, strings, numbers and booleans.
 *
 * @param namespace the resource's namespace
 * @param name the resource's name
 * @param spec its {@code spec}
 */
public record TelemetrySource(String namespace, String name, Map<String, Object> spec) {
  public TelemetrySource {
    requireNonNull(namespace, "namespace");
    requireNonNull(name, "name");
    requireNonNull(spec, "spec");
  }

  /** {@code Telemetry <namespace>/<name>}, for messages. */
  public String id() {
    return "Telemetry " + namespace + "/" + name;
  }
}
