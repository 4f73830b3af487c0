package io.inboard.mesh.telemetry.internal;

import static java.util.Objects.requireNonNull;

import io.inboard.mesh.api.internal.telemetry.MeshHealthMetrics;
import io.inboard.mesh.api.internal.telemetry.MeshMetrics;
import io.inboard.mesh.api.internal.telemetry.MeshTracing;
import io.inboard.mesh.api.internal.telemetry.policy.TelemetryPolicy;
import io.inboard.mesh.api.internal.telemetry.MeshTelemetry;
import io.inboard.mesh.telemetry.internal.health.EnvoyClusterStats;
import io.inboard.mesh.telemetry.internal.metrics.IstioRequestRecorder;
import io.inboard.mesh.telemetry.internal.tracing.OtelMeshTracing;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.Set;

/** One mesh's meter provider, recorder and (optional) admin server. */
final class OtelMeshTelemetry implements MeshTelemetry {

  private final SdkMeterProvider meterProvider;
  private final IstioRequestRecorder metrics;
  private final EnvoyClusterStats health;
  private final AdminServer admin;
  private final OtelMeshTracing tracing;
  private volatile TelemetryPolicy policy = TelemetryPolicy.DEFAULT;
  private volatile Set<String> capturedHeaders = Set.of();

  OtelMeshTelemetry(SdkMeterProvider meterProvider, IstioRequestRecorder metrics,
      EnvoyClusterStats health, AdminServer admin, OtelMeshTracing tracing) {
    this.meterProvider = meterProvider;
    this.metrics = metrics;
    this.health = health;
    this.admin = admin;
    this.tracing = tracing;
  }

  @Override
  public MeshMetrics metrics() {
    return metrics;
  }

  @Override
  public MeshTracing tracing() {
    return tracing;
  }

  @Override
  public MeshHealthMetrics health() {
    return health;
  }

  @Override
  public void configure(TelemetryPolicy policy) {
    requireNonNull(policy, "policy");
    // Tracing first: it may reject the policy's collectors, and then nothing has changed.
    tracing.configure(policy);
    // metrics and access logs: the recorder reads the new rules from its next report on
    metrics.apply(policy);
    this.capturedHeaders = policy.capturedHeaders();
    this.policy = policy;
  }

  @Override
  public TelemetryPolicy policy() {
    return policy;
  }

  // read per request by the planes: made once per policy, not per call
  @Override
  public Set<String> capturedHeaders() {
    return capturedHeaders;
  }

  @Override
  public Optional<InetSocketAddress> adminAddress() {
    return admin == null ? Optional.empty() : Optional.of(admin.address());
  }

  @Override
  public void close() {
    if (admin != null) {
      admin.close();
    }
    meterProvider.close();
    tracing.close();
  }
}
