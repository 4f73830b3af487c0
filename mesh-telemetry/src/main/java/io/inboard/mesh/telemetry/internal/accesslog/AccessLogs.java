package io.inboard.mesh.telemetry.internal.accesslog;

import static java.util.Objects.requireNonNull;

import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.internal.InternalMesh;
import io.inboard.mesh.api.internal.InternalMesh.StateKey;
import java.util.function.Consumer;

/**
 * The per-mesh access-log output, kept in the mesh's state, and the hook that redirects it: for
 * tests, which read the lines of one mesh instead of the process's standard output.
 */
public final class AccessLogs {

  /** The mesh's output, made when its telemetry starts. */
  public static final StateKey<AccessLogOutput> OUTPUT =
      StateKey.of("inboard.telemetry.accessLog", AccessLogOutput.class);

  private AccessLogs() {}

  /** {@code mesh}'s output, made on first use. */
  public static AccessLogOutput output(Mesh mesh) {
    return InternalMesh.state(mesh, OUTPUT, AccessLogOutput::new);
  }

  /**
   * Sends {@code mesh}'s access-log lines from now on to {@code sink} (one call per line,
   * without a line end); {@link AccessLogOutput#STDOUT} restores the default.
   *
   * @throws IllegalStateException if {@code mesh} has no {@code mesh-telemetry} output
   */
  public static void redirect(Mesh mesh, Consumer<String> sink) {
    requireNonNull(sink, "sink");
    InternalMesh.findState(requireNonNull(mesh, "mesh"), OUTPUT).orElseThrow(
        () -> new IllegalStateException("mesh '" + mesh.settings().workloadName()
            + "': no access-log output (expected: mesh-telemetry started for this mesh)"))
        .redirect(sink);
  }
}
