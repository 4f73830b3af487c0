package io.inboard.mesh.controlplane;

import io.grpc.ManagedChannel;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.controlplane.testing.ControlPlaneExtension;
import io.inboard.mesh.grpc.MeshChannels;
import io.inboard.mesh.testing.GrpcBackendExtension;
import io.inboard.mesh.testing.LifecycleExtension;
import io.inboard.mesh.testing.LoopbackPorts;

/**
 * The scenario most xDS tests share, made of the test kit's parts: a real control plane, two
 * backends (version v1 on 127.0.0.2, v2 on 127.0.0.3, same port) and productpage-v1's mesh in
 * xDS mode pointed at the control plane. Each test gives its own service name, so that its
 * config is in place before its channel's first call. Register it with
 * {@code @RegisterExtension} ({@code static} to share one per class).
 */
final class XdsTestBed extends LifecycleExtension<XdsTestBed> {
  static final String V1 = "127.0.0.2";
  static final String V2 = "127.0.0.3";

  private final ControlPlaneExtension controlPlane = ControlPlaneExtension.builder().build();
  ControlPlane cp;
  GrpcBackendExtension v1;
  GrpcBackendExtension v2;
  Mesh mesh;

  @Override
  protected void doStart() {
    cp = controlPlane.start().controlPlane();
    int port = LoopbackPorts.free();
    v1 = GrpcBackendExtension.on(V1).port(port).version("v1").build().start();
    v2 = GrpcBackendExtension.on(V2).port(port).version("v2").build().start();
    mesh = controlPlane.mesh("productpage-v1", b -> b.label("app", "productpage"));
  }

  int port() {
    return v1.port();
  }

  /** Registers both backends as {@code service}'s v1 and v2, with subsets v1 and v2. */
  XdsTestBed service(String service) {
    controlPlane.register(service, v1, v2).subsets(service, "v1", "v2");
    return this;
  }

  /** Registers {@code backend} as the only endpoint of {@code service}, on the backend's port. */
  XdsTestBed service(String service, GrpcBackendExtension backend) {
    controlPlane.register(service, backend);
    return this;
  }

  /** Applies {@code yaml}, which must be accepted without warnings or errors. */
  void apply(String yaml) {
    controlPlane.apply(yaml);
  }

  /** A channel from the mesh to {@code service} by its short name. */
  ManagedChannel channel(String service) {
    return MeshChannels.forService(mesh, service + ":" + port()).build();
  }

  /** A channel from the mesh to {@code service} on {@code port}. */
  ManagedChannel channel(String service, int port) {
    return MeshChannels.forService(mesh, service + ":" + port).build();
  }

  SimpleServiceGrpc.SimpleServiceBlockingStub stub(String service) {
    return SimpleServiceGrpc.newBlockingStub(channel(service));
  }

  @Override
  protected void doStop() {
    controlPlane.close(); // closes the mesh first
    v1.close();
    v2.close();
  }
}
