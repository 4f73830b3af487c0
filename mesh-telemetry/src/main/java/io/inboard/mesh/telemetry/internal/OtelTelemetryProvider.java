package io.inboard.mesh.telemetry.internal;

import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.internal.InternalMesh;
import io.inboard.mesh.api.internal.telemetry.MeshTelemetry;
import io.inboard.mesh.api.internal.telemetry.PeerIdentity;
import io.inboard.mesh.api.internal.telemetry.TelemetryProvider;
import io.inboard.mesh.telemetry.internal.accesslog.AccessLogs;
import io.inboard.mesh.telemetry.internal.health.EnvoyClusterStats;
import io.inboard.mesh.telemetry.internal.health.XdsResourceGauges;
import io.inboard.mesh.telemetry.internal.metrics.IstioRequestRecorder;
import io.opentelemetry.api.metrics.Meter;
import io.inboard.mesh.telemetry.internal.tracing.OtelMeshTracing;
import io.opentelemetry.exporter.prometheus.PrometheusMetricReader;
import io.opentelemetry.sdk.metrics.ExemplarFilter;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;

/**
 * Gives each mesh its own OpenTelemetry meter provider (not the global one, so several meshes in
 * one JVM, as in tests, keep separate counts) read by a Prometheus reader, and starts the admin
 * server. Found through {@link java.util.ServiceLoader}.
 */
public final class OtelTelemetryProvider implements TelemetryProvider {

  /** For {@link java.util.ServiceLoader}. */
  public OtelTelemetryProvider() {}

  @Override
  public MeshTelemetry start(Mesh mesh) {
    // Istio's series carry only their own labels: no otel_scope_* labels, no target_info.
    PrometheusMetricReader reader = PrometheusMetricReader.builder()
        .setOtelScopeLabelsEnabled(false).setTargetInfoMetricEnabled(false).build();
    // no exemplars: Inboard's spans are not OpenTelemetry spans, so the default trace-based
    // filter never finds a sampled one, yet costs a context lookup on every recording
    SdkMeterProvider provider = SdkMeterProvider.builder().registerMetricReader(reader)
        .setExemplarFilter(ExemplarFilter.alwaysOff()).build();
    Meter meter = provider.get("io.inboard.mesh.telemetry");
    IstioRequestRecorder recorder = new IstioRequestRecorder(meter, AccessLogs.output(mesh));
    EnvoyClusterStats health = new EnvoyClusterStats();
    XdsResourceGauges.register(meter, mesh);
    AdminServer admin = null;
    if (InternalMesh.adminPort(mesh) >= 0) {
      try {
        admin = AdminServer.start(mesh, reader, health);
      } catch (RuntimeException e) {
        provider.close();
        throw e;
      }
    }
    return new OtelMeshTelemetry(provider, recorder, health, admin,
        OtelMeshTracing.create(PeerIdentity.of(mesh)));
  }
}
