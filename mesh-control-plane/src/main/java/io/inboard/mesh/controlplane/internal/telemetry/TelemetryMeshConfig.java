package io.inboard.mesh.controlplane.internal.telemetry;

import static java.util.Objects.requireNonNull;

import io.inboard.mesh.api.internal.telemetry.policy.TelemetrySource;
import io.inboard.mesh.api.internal.telemetry.policy.TraceExporter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The part of Istio's MeshConfig that telemetry reads.
 *
 * @param tracingProviders the {@code extensionProviders} of kind {@code zipkin} or {@code
 *     opentelemetry}, as span exporters, in file order
 * @param defaultTracing {@code defaultProviders.tracing}: Istio uses the first
 * @param defaultAccessLogging {@code defaultProviders.accessLogging}
 * @param enableTracing {@code enableTracing} (default true): when false, a workload that no
 *     Telemetry gives tracing settings and that has no default tracing provider starts no traces
 * @param warnings what the file sets that Inboard does not honour, one line each
 */
public record TelemetryMeshConfig(List<TraceExporter> tracingProviders,
    List<String> defaultTracing, List<String> defaultAccessLogging, boolean enableTracing,
    List<String> warnings) {

  /** No mesh config: no providers, no defaults, tracing enabled. */
  public static final TelemetryMeshConfig DEFAULT =
      new TelemetryMeshConfig(List.of(), List.of(), List.of(), true, List.of());

  /** The name of the source that carries the default providers to workloads. */
  public static final String DEFAULTS_SOURCE = "meshConfig.defaultProviders";

  public TelemetryMeshConfig {
    tracingProviders = List.copyOf(tracingProviders);
    defaultTracing = List.copyOf(defaultTracing);
    defaultAccessLogging = List.copyOf(defaultAccessLogging);
    warnings = List.copyOf(warnings);
  }

  /**
   * The mesh config's defaults as a Telemetry of lowest precedence, named {@value
   * #DEFAULTS_SOURCE} in {@code rootNamespace}, so that workloads merge them as Istio does
   * (the default providers are what an entry without {@code providers} inherits), or empty when
   * it sets none.
   *
   * @param telemetryTraces whether a Telemetry that applies to the workload has {@code tracing}
   *     (then {@code enableTracing} does not matter, as in Istio)
   */
  public Optional<TelemetrySource> defaults(String rootNamespace, boolean telemetryTraces) {
    requireNonNull(rootNamespace, "rootNamespace");
    Map<String, Object> spec = new LinkedHashMap<>();
    List<Object> tracing = new ArrayList<>();
    if (!defaultTracing.isEmpty()) {
      tracing.add(Map.of("providers", List.of(Map.of("name", defaultTracing.get(0)))));
    } else if (!enableTracing && !telemetryTraces) {
      tracing.add(Map.of("randomSamplingPercentage", 0, "disableSpanReporting", true));
    }
    if (!tracing.isEmpty()) {
      spec.put("tracing", tracing);
    }
    if (!defaultAccessLogging.isEmpty()) {
      spec.put("accessLogging", List.of(Map.of("providers",
          defaultAccessLogging.stream().map(n -> (Object) Map.of("name", n)).toList())));
    }
    return spec.isEmpty() ? Optional.empty()
        : Optional.of(new TelemetrySource(rootNamespace, DEFAULTS_SOURCE, spec));
  }
}
