package io.inboard.benchmarks.telemetry;

import io.inboard.mesh.api.internal.telemetry.policy.AccessLogRules;
import io.inboard.mesh.api.internal.telemetry.policy.MetricRules;
import io.inboard.mesh.api.internal.telemetry.policy.TelemetryPolicy;
import io.inboard.mesh.api.internal.telemetry.policy.TraceExporter;
import io.inboard.mesh.api.internal.telemetry.policy.TracingRules;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a mesh's telemetry does per call in each compared mode.
 *
 * <ul>
 *   <li>{@link #OFF}: no telemetry ({@code MeshTelemetry.NONE}: a mesh built with
 *       {@code -Dinboard.telemetry=off}, as one without {@code mesh-telemetry}).
 *   <li>{@link #METRICS}: Istio's metrics; tracing samples 0 % of new traces, so spans only
 *       propagate (ids and rewritten headers), as Istio with sampling 0.
 *   <li>{@link #METRICS_1PCT}: metrics, and 1 % of new traces recorded and exported (Istio's
 *       default sampling).
 *   <li>{@link #METRICS_100PCT}: metrics, every trace recorded and exported.
 * </ul>
 *
 * Every mode with telemetry exports spans to the same Zipkin collector ({@link ZipkinSink}), so
 * the modes differ only in the sampling percentage; no access log, default metric rules.
 */
enum TelemetryMode {
  OFF(-1),
  METRICS(0),
  METRICS_1PCT(1),
  METRICS_100PCT(100);

  private final double samplingPercentage;

  TelemetryMode(double samplingPercentage) {
    this.samplingPercentage = samplingPercentage;
  }

  /** Whether the mesh has telemetry at all. */
  boolean on() {
    return this != OFF;
  }

  /** The label in results: {@code off}, {@code metrics}, {@code metrics+1%}, ... */
  String label() {
    return switch (this) {
      case OFF -> "off";
      case METRICS -> "metrics (0 % sampled)";
      case METRICS_1PCT -> "metrics + 1 %";
      case METRICS_100PCT -> "metrics + 100 %";
    };
  }

  /** The policy a telemetry-on mesh is configured with, spans going to {@code collector}. */
  TelemetryPolicy policy(URI collector) {
    if (!on()) {
      throw new IllegalStateException("mode off has no policy");
    }
    TelemetryPolicy.Side side = new TelemetryPolicy.Side(MetricRules.DEFAULT,
        new TracingRules(samplingPercentage, false, Map.of()), AccessLogRules.DEFAULT);
    return new TelemetryPolicy(side, side,
        List.of(new TraceExporter("zipkin", TraceExporter.Kind.ZIPKIN, collector)));
  }

  /** Parses {@code off}, {@code metrics}, {@code metrics_1pct} or {@code metrics_100pct}. */
  static TelemetryMode parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("mode: '" + s
          + "' (expected: off, metrics, metrics_1pct or metrics_100pct)", e);
    }
  }
}
