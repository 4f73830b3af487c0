package io.inboard.mesh.http.internal.telemetry;

import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.internal.InternalMesh;
import io.inboard.mesh.api.internal.telemetry.MeshTelemetry;

/**
 * Where the HTTP plane finds a mesh's telemetry: the mesh's own, unless one was installed for
 * it here. Clients and inbound hooks resolve it once, when they are built; so an installed
 * telemetry (a test's recorder) must be installed before them.
 */
public final class HttpTelemetry {

  private static final InternalMesh.StateKey<MeshTelemetry> INSTALLED =
      InternalMesh.StateKey.of("mesh-http telemetry", MeshTelemetry.class);

  private HttpTelemetry() {}

  /** The telemetry the HTTP plane of {@code mesh} reports to. */
  public static MeshTelemetry of(Mesh mesh) {
    return InternalMesh.findState(mesh, INSTALLED).orElseGet(() -> InternalMesh.telemetry(mesh));
  }

  /**
   * Makes {@code telemetry} the one HTTP clients and hooks built from now on for {@code mesh}
   * report to, instead of the mesh's (for tests; once per mesh). The mesh closes it.
   *
   * @throws IllegalStateException if another one is installed already
   */
  public static void install(Mesh mesh, MeshTelemetry telemetry) {
    if (InternalMesh.state(mesh, INSTALLED, () -> telemetry) != telemetry) {
      throw new IllegalStateException("a telemetry is already installed for this mesh");
    }
  }
}
