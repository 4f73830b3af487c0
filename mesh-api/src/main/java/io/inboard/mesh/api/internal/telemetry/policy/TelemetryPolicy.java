package io.inboard.mesh.api.internal.telemetry.policy;

import static java.util.Objects.requireNonNull;

import io.inboard.mesh.api.internal.telemetry.RequestReport.Reporter;
import java.util.List;
import java.util.Set;

/**
 * What the Istio {@code Telemetry} resources that apply to a workload ask of it, merged in
 * Istio's precedence (workload over namespace over root namespace) and split by side: the
 * client's ({@code mode: CLIENT}, {@link Reporter#SOURCE}) and the server's ({@code mode:
 * SERVER}, {@link Reporter#DESTINATION}). Made when config changes; read per request.
 *
 * @param client what applies to outbound calls
 * @param server what applies to inbound requests
 * @param exporters where spans go, from the mesh config's tracing providers (empty: the
 *     OpenTelemetry environment variables decide, else spans are not exported)
 */
public record TelemetryPolicy(Side client, Side server, List<TraceExporter> exporters) {

  /** Istio's defaults without any Telemetry resource. */
  public static final TelemetryPolicy DEFAULT =
      new TelemetryPolicy(Side.DEFAULT, Side.DEFAULT, List.of());

  public TelemetryPolicy {
    requireNonNull(client, "client");
    requireNonNull(server, "server");
    exporters = List.copyOf(exporters);
  }

  /** The side {@code reporter} reports. */
  public Side side(Reporter reporter) {
    return reporter == Reporter.SOURCE ? client : server;
  }

  /**
   * Compiles the {@code Telemetry} resources that apply to one workload, root namespace first,
   * then namespace, then workload-selected ones (a later one overrides an earlier one field by
   * field, as Istio).
   *
   * @throws TelemetryException naming the resource, the field, the value and what was expected
   */
  public static TelemetryPolicy compile(List<TelemetrySource> sources,
      List<TraceExporter> exporters) {
    return TelemetryCompiler.compile(sources, exporters);
  }

  /** The request headers any rule of either side reads (lower case). */
  public Set<String> capturedHeaders() {
    java.util.Set<String> names = new java.util.TreeSet<>(client.capturedHeaders());
    names.addAll(server.capturedHeaders());
    return Set.copyOf(names);
  }

  /**
   * One side's rules.
   *
   * @param metrics the metric overrides
   * @param tracing sampling and tags
   * @param accessLog whether and how requests are logged
   */
  public record Side(MetricRules metrics, TracingRules tracing, AccessLogRules accessLog) {
    /** Istio's defaults: every metric, 1 % sampling, no access log. */
    public static final Side DEFAULT =
        new Side(MetricRules.DEFAULT, TracingRules.DEFAULT, AccessLogRules.DEFAULT);

    public Side {
      requireNonNull(metrics, "metrics");
      requireNonNull(tracing, "tracing");
      requireNonNull(accessLog, "accessLog");
    }

    /** The request headers this side's rules read. */
    public Set<String> capturedHeaders() {
      java.util.Set<String> names = new java.util.TreeSet<>(metrics.capturedHeaders());
      names.addAll(tracing.capturedHeaders());
      return Set.copyOf(names);
    }
  }
}
