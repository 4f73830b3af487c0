package io.inboard.mesh.api.internal.telemetry;

import io.inboard.mesh.api.Mesh;

/**
 * Creates a mesh's {@link MeshTelemetry}; found with {@link java.util.ServiceLoader} when a mesh
 * is built. {@code mesh-telemetry} provides one (OpenTelemetry metrics with Istio's names, and
 * the admin server); the first provider found wins.
 */
public interface TelemetryProvider {

  /**
   * Starts telemetry for {@code mesh}, which is built but not yet returned to the application.
   * Starts the admin server on {@code mesh.adminPort()} unless it is {@code -1}.
   *
   * @throws java.io.UncheckedIOException if the admin port cannot be bound
   */
  MeshTelemetry start(Mesh mesh);
}
