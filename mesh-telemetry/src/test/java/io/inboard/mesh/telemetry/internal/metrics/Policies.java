package io.inboard.mesh.telemetry.internal.metrics;

import io.inboard.mesh.api.internal.telemetry.policy.AccessLogRules;
import io.inboard.mesh.api.internal.telemetry.policy.MetricRules;
import io.inboard.mesh.api.internal.telemetry.policy.MetricRules.TagOverride;
import io.inboard.mesh.api.internal.telemetry.policy.TelemetryPolicy;
import io.inboard.mesh.api.internal.telemetry.policy.TelemetryPolicy.Side;
import io.inboard.mesh.api.internal.telemetry.policy.TracingRules;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Telemetry policies as the control plane's compiler would make them, built directly. */
final class Policies {

  private Policies() {}

  /** Default client side; on the server side, {@code disabled} metrics and {@code overrides}. */
  static TelemetryPolicy serverMetrics(Set<String> disabled,
      Map<String, List<TagOverride>> overrides) {
    return new TelemetryPolicy(Side.DEFAULT, new Side(new MetricRules(disabled, overrides),
        TracingRules.DEFAULT, AccessLogRules.DEFAULT), List.of());
  }
}
