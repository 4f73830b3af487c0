package io.inboard.benchmarks.telemetry;

import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.discovery.StaticDiscovery;
import io.inboard.mesh.api.internal.InternalMesh;
import io.inboard.mesh.api.internal.telemetry.MeshTelemetry;
import java.net.URI;

/** Builds the benchmarks' meshes with the telemetry of a {@link TelemetryMode}. */
final class TelemetryMeshes {

  /** {@code MeshBuilder}'s switch: a mesh built while it is {@code off} has no telemetry. */
  private static final String TELEMETRY_PROPERTY = "inboard.telemetry";

  private TelemetryMeshes() {}

  /**
   * A mesh for workload {@code workload} (namespace {@code default}, app label the same, version
   * {@code v1}, no admin server) with {@code discovery}: without telemetry for {@link
   * TelemetryMode#OFF}, else with {@code mesh-telemetry}'s, configured with the mode's policy
   * (spans to {@code collector}).
   *
   * @throws IllegalStateException when {@code mesh-telemetry} is not on the class path
   */
  static synchronized Mesh build(String workload, TelemetryMode mode, StaticDiscovery discovery,
      URI collector) {
    String before = System.getProperty(TELEMETRY_PROPERTY);
    if (mode.on()) {
      System.clearProperty(TELEMETRY_PROPERTY);
    } else {
      System.setProperty(TELEMETRY_PROPERTY, "off");
    }
    Mesh mesh;
    try {
      mesh = Mesh.builder().workloadName(workload).namespace("default").label("app", workload)
          .label("version", "v1").instanceIps("127.0.0.1").discovery(discovery).adminPort(-1)
          .build();
    } finally {
      if (before == null) {
        System.clearProperty(TELEMETRY_PROPERTY);
      } else {
        System.setProperty(TELEMETRY_PROPERTY, before);
      }
    }
    MeshTelemetry telemetry = InternalMesh.telemetry(mesh);
    if (mode.on()) {
      if (telemetry == MeshTelemetry.NONE) {
        mesh.close();
        throw new IllegalStateException("mode " + mode + ": mesh-telemetry is not on the class"
            + " path (run benchmarks/run-telemetry-overhead.sh, which puts it there)");
      }
      telemetry.configure(mode.policy(collector));
    } else if (telemetry != MeshTelemetry.NONE) {
      mesh.close();
      throw new IllegalStateException("mode off: the mesh has telemetry although "
          + TELEMETRY_PROPERTY + "=off (a mesh-api without that switch?)");
    }
    return mesh;
  }
}
