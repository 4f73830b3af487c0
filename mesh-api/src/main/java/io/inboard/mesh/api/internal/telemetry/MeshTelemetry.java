package io.inboard.mesh.api.internal.telemetry;

import io.inboard.mesh.api.internal.telemetry.policy.TelemetryPolicy;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.Set;

/**
 * A mesh's telemetry: where requests are recorded, and the per-workload admin server that
 * serves {@code /stats/prometheus} and {@code /debug/config_dump}. The mesh owns it and closes
 * it on {@code Mesh.close()}.
 */
public interface MeshTelemetry extends AutoCloseable {

  /** No metrics and no admin server: what a mesh has without {@code mesh-telemetry}. */
  MeshTelemetry NONE = new MeshTelemetry() {
    @Override
    public MeshMetrics metrics() {
      return MeshMetrics.NOOP;
    }

    @Override
    public MeshTracing tracing() {
      return MeshTracing.NOOP;
    }

    @Override
    public MeshHealthMetrics health() {
      return MeshHealthMetrics.NOOP;
    }

    @Override
    public void configure(TelemetryPolicy policy) {}

    @Override
    public TelemetryPolicy policy() {
      return TelemetryPolicy.DEFAULT;
    }

    @Override
    public Set<String> capturedHeaders() {
      return Set.of();
    }

    @Override
    public Optional<InetSocketAddress> adminAddress() {
      return Optional.empty();
    }

    @Override
    public void close() {}
  };

  /**
   * Where the data planes record finished requests: Istio's metrics and, when the telemetry
   * policy turns it on, the access log.
   */
  MeshMetrics metrics();

  /** Spans; {@link MeshTracing#NOOP} when tracing is off. */
  MeshTracing tracing();

  /** The mesh's own health counters and gauges (retries, breakers, ejections). */
  MeshHealthMetrics health();

  /**
   * Puts {@code policy} in force for the requests that start from now on: metric overrides,
   * sampling, custom tags, access logs and span exporters.
   */
  void configure(TelemetryPolicy policy);

  /** The policy in force ({@link TelemetryPolicy#DEFAULT} until {@link #configure}). */
  TelemetryPolicy policy();

  /**
   * The request headers the policy in force reads (lower case), which a plane copies into
   * {@link RequestDetails#headers()}; usually none. Read per request: an implementation makes
   * the set when the policy changes.
   */
  Set<String> capturedHeaders();

  /** The admin server's bound address, or empty when none runs. */
  Optional<InetSocketAddress> adminAddress();

  /** Stops the admin server and metric collection. Idempotent. */
  @Override
  void close();
}
