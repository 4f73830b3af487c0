package io.inboard.mesh.api.internal.telemetry;

import java.net.InetSocketAddress;
import java.util.Optional;

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
    public Optional<InetSocketAddress> adminAddress() {
      return Optional.empty();
    }

    @Override
    public void close() {}
  };

  /** Where the data planes record requests. */
  MeshMetrics metrics();

  /** The admin server's bound address, or empty when none runs. */
  Optional<InetSocketAddress> adminAddress();

  /** Stops the admin server and metric collection. Idempotent. */
  @Override
  void close();
}
