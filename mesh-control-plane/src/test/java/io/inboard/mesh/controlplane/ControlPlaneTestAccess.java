package io.inboard.mesh.controlplane;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import java.util.Map;

/** {@link MtlsXds}'s cluster reads, for tests in other packages. */
public final class ControlPlaneTestAccess {
  private ControlPlaneTestAccess() {}

  /** Every cluster served to a caller in the default namespace, by name. */
  public static Map<String, Cluster> clusters(ControlPlane cp) throws Exception {
    return MtlsXds.clusters(cp);
  }

  /** The UpstreamTlsContext of {@code c}. */
  public static UpstreamTlsContext upstream(Cluster c) throws Exception {
    return MtlsXds.upstream(c);
  }
}
