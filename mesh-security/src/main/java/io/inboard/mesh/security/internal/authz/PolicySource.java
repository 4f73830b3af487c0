package io.inboard.mesh.security.internal.authz;

import java.util.Map;

/**
 * One Istio security resource as written: its namespace, name, and {@code spec} as a JSON tree
 * (maps with string keys, lists, strings, numbers, booleans), as YAML or protobuf's {@code
 * Struct} gives it. Both the control plane (to validate) and the workloads (to enforce) compile
 * from this one form.
 */
public record PolicySource(String namespace, String name, Map<String, Object> spec) {
  public PolicySource {
    java.util.Objects.requireNonNull(namespace, "namespace");
    java.util.Objects.requireNonNull(name, "name");
    spec = spec == null ? Map.of() : spec;
  }

  /** {@code namespace/name}, as errors and decisions name the resource. */
  public String id() {
    return namespace + "/" + name;
  }
}
