package io.inboard.mesh.api.internal.telemetry.policy;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What {@link TelemetryCompiler#compileWithWarnings} made of a workload's {@code Telemetry}
 * resources: the policy, and every field it could not honour.
 *
 * @param policy the merged policy
 * @param warnings valid fields that are not honoured, in resource and field order
 */
public record TelemetryCompilation(TelemetryPolicy policy, List<TelemetryWarning> warnings) {
  public TelemetryCompilation {
    requireNonNull(policy, "policy");
    warnings = List.copyOf(warnings);
  }
}
