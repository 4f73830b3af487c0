package io.inboard.mesh.api.internal.telemetry.policy;

import java.util.List;

/** Compiles Telemetry specs into a {@link TelemetryPolicy}. */
final class TelemetryCompiler {
  private TelemetryCompiler() {}

  static TelemetryPolicy compile(List<TelemetrySource> sources, List<TraceExporter> exporters) {
    if (sources.isEmpty()) {
      return new TelemetryPolicy(TelemetryPolicy.Side.DEFAULT, TelemetryPolicy.Side.DEFAULT,
          exporters);
    }
    // CONTRACT STUB: the Telemetry API helper implements this.
    throw new UnsupportedOperationException("Telemetry compile not implemented yet");
  }
}
