package io.inboard.mesh.grpc.internal.telemetry;

import static java.util.Objects.requireNonNull;

import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.internal.InternalMesh;
import io.inboard.mesh.api.internal.telemetry.MeshTelemetry;

/**
 * The telemetry this module's channels and servers report to: the mesh's own
 * ({@link InternalMesh#telemetry}), unless a test installed another for the mesh. Channels and
 * servers read it once when they are built, and ask it for metrics, tracing and health on each
 * call (so that a new telemetry policy applies to the calls after it).
 */
public final class GrpcTelemetry {

  private static final InternalMesh.StateKey<MeshTelemetry> OVERRIDE =
      InternalMesh.StateKey.of("mesh-grpc telemetry override", MeshTelemetry.class);

  private GrpcTelemetry() {}

  /** The telemetry of {@code mesh} for gRPC calls. */
  public static MeshTelemetry of(Mesh mesh) {
    requireNonNull(mesh, "mesh");
    return InternalMesh.findState(mesh, OVERRIDE).orElseGet(() -> InternalMesh.telemetry(mesh));
  }

  /**
   * For tests: the channels and servers of {@code mesh} built from now on report to
   * {@code telemetry} instead of the mesh's own. The mesh closes it with itself.
   *
   * @throws IllegalStateException if {@code mesh} already has another one installed
   */
  public static void install(Mesh mesh, MeshTelemetry telemetry) {
    requireNonNull(telemetry, "telemetry");
    MeshTelemetry installed = InternalMesh.state(requireNonNull(mesh, "mesh"), OVERRIDE,
        () -> telemetry);
    if (installed != telemetry) {
      throw new IllegalStateException("telemetry: " + telemetry + " (expected: one per mesh; "
          + installed + " is installed)");
    }
  }
}
