package io.inboard.mesh.grpc.internal;

import static java.util.Objects.requireNonNull;

import io.grpc.ManagedChannel;
import io.inboard.mesh.api.DiscoveryMode;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.ServiceName;
import io.inboard.mesh.api.policy.ClientPolicy;
import io.inboard.mesh.grpc.internal.client.MethodPolicy;
import io.inboard.mesh.grpc.internal.k8s.K8sMeshChannelFactory;
import io.inboard.mesh.grpc.internal.xds.XdsMeshChannelFactory;
import java.util.List;

/**
 * Builds a channel to one mesh service, the way the mesh's discovery mode says: through the
 * control plane in xDS mode ({@link XdsMeshChannelFactory}), otherwise through {@code k8s:///}
 * and the mesh's discovery ({@link K8sMeshChannelFactory}).
 */
public final class MeshChannelFactory {

  private MeshChannelFactory() {}

  /**
   * Builds the channel.
   *
   * @param client the client layer for the whole channel (annotations or builder)
   * @param methods client layers for single methods, already merged over {@code client}
   * @throws IllegalArgumentException if the effective policy cannot be honoured by gRPC
   */
  public static ManagedChannel create(Mesh mesh, ServiceName service, ClientPolicy client,
      List<MethodPolicy> methods) {
    requireNonNull(mesh, "mesh");
    requireNonNull(service, "service");
    if (mesh.settings().discoveryMode() == DiscoveryMode.XDS) {
      return XdsMeshChannelFactory.create(mesh, service, requireNonNull(client, "client"),
          methods);
    }
    return K8sMeshChannelFactory.create(mesh, service, client, methods);
  }
}
