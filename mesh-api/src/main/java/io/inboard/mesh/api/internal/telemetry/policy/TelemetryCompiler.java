package io.inboard.mesh.api.internal.telemetry.policy;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Compiles the {@code Telemetry} specs (telemetry.istio.io/v1 and v1alpha1, which share the
 * schema) that apply to one workload into a {@link TelemetryPolicy}. Sources come in Istio's
 * precedence order (root namespace, namespace, workload) and each later entry overrides the
 * earlier ones field by field, as Istio's {@code pilot/pkg/model/telemetry.go}: see {@link
 * MetricsMerge}, {@link TracingMerge} and {@link AccessLogMerge}.
 *
 * <p>{@code selector}, {@code targetRef} and {@code targetRefs} are scope, which the control
 * plane resolves; they are not read here. A field of the wrong type or value, or one Istio's
 * schema does not have, throws; a valid field that Inboard does not honour becomes a {@link
 * TelemetryWarning}.
 */
public final class TelemetryCompiler {
  private static final Set<String> SPEC_FIELDS = Set.of("selector", "targetRef", "targetRefs",
      "tracing", "metrics", "accessLogging");

  private TelemetryCompiler() {}

  static TelemetryPolicy compile(List<TelemetrySource> sources, List<TraceExporter> exporters) {
    return compileWithWarnings(sources, exporters).policy();
  }

  /**
   * Compiles {@code sources} (precedence order: a later one overrides an earlier one) and
   * picks the span exporters their {@code tracing.providers} name from {@code exporters} (the
   * mesh config's tracing providers). Without sources the policy is Istio's default, with no
   * exporter.
   *
   * @throws TelemetryException naming the resource, the field, the value and what was expected
   */
  public static TelemetryCompilation compileWithWarnings(List<TelemetrySource> sources,
      List<TraceExporter> exporters) {
    requireNonNull(sources, "sources");
    requireNonNull(exporters, "exporters");
    List<TelemetryWarning> warnings = new ArrayList<>();
    MetricsMerge metrics = new MetricsMerge();
    TracingMerge tracing = new TracingMerge();
    AccessLogMerge logs = new AccessLogMerge();
    for (TelemetrySource source : sources) {
      SpecField spec = SpecField.spec(source).onlyKeys(SPEC_FIELDS);
      for (SpecField entry : spec.get("metrics").list()) {
        metrics.add(entry, warnings);
      }
      for (SpecField entry : spec.get("tracing").list()) {
        tracing.add(entry, warnings);
      }
      logs.addResource(spec.get("accessLogging"), warnings);
    }
    List<TraceExporter> chosen = tracing.exporters(exporters, warnings);
    TelemetryPolicy policy = new TelemetryPolicy(
        side(WorkloadMode.CLIENT, metrics, tracing, logs, warnings),
        side(WorkloadMode.SERVER, metrics, tracing, logs, warnings), chosen);
    return new TelemetryCompilation(policy, warnings);
  }

  private static TelemetryPolicy.Side side(WorkloadMode mode, MetricsMerge metrics,
      TracingMerge tracing, AccessLogMerge logs, List<TelemetryWarning> warnings) {
    return new TelemetryPolicy.Side(metrics.rules(mode), tracing.rules(mode),
        logs.rules(mode, warnings));
  }
}
