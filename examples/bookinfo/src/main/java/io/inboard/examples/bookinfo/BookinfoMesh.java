package io.inboard.examples.bookinfo;

import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.MeshBuilder;
import java.util.Map;

/** The {@link Mesh} every bookinfo workload runs in: xDS mode, its identity, {@code end-user}. */
final class BookinfoMesh {

  private BookinfoMesh() {}

  static Mesh of(Workload w, WorkloadOptions o) {
    MeshBuilder b = Mesh.builder();
    if (o.identity() != null) {
      b.caAddress(o.identity().caAddress())
          .identityTokenFile(o.identity().tokenFile())
          .caRootCertFile(o.identity().rootCertFile());
    }
    return b
        .workloadName(w.workloadName())
        .namespace(o.namespace())
        .label("app", w.app())
        .label("version", w.version())
        .serviceAccount(w.serviceAccount())
        .instanceIps(o.instanceIp())
        .controlPlane(o.controlPlanes().toArray(String[]::new))
        // the control plane in local mode registers this workload as an endpoint of its service
        .serves(w.app(), Map.of(w.protocol().portName(), o.port()))
        // Istio's routing tasks match on end-user: every hop passes it on
        .propagateHeaders("end-user")
        .adminPort(o.adminPort())
        .build();
  }
}
