package io.inboard.mesh.security.internal.inbound;

import io.inboard.mesh.api.DiscoveryMode;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.internal.InternalMesh;
import io.inboard.mesh.api.internal.MeshStartHook;
import io.inboard.mesh.api.internal.telemetry.MeshTelemetry;

/**
 * Starts watching the control plane's {@code virtualInbound} listener when a mesh with
 * telemetry is built in xDS mode, rather than when its first server starts: the listener
 * carries the workload's Telemetry policy, which its outbound calls need too, so a client-only
 * workload gets it as well. It does not wait for the listener; until it arrives, Istio's
 * defaults apply.
 */
public final class InboundWatchStartHook implements MeshStartHook {
  @Override
  public void started(Mesh mesh) {
    if (mesh.settings().discoveryMode() == DiscoveryMode.XDS
        && InternalMesh.telemetry(mesh) != MeshTelemetry.NONE) {
      InboundMtls.of(mesh);
    }
  }
}
