package io.inboard.mesh.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.grpc.MeshChannels;
import java.io.IOException;
import java.util.Map;

/**
 * A real control plane, two backends (v1 on 127.0.0.2, v2 on 127.0.0.3, same port) and a mesh
 * in xDS mode pointed at the control plane. Each test gives its own service name, so that its
 * config is in place before its channel's first call.
 */
final class XdsTestBed implements AutoCloseable {
  static final String V1 = "127.0.0.2";
  static final String V2 = "127.0.0.3";

  final ControlPlane cp;
  final ScriptedBackend v1;
  final ScriptedBackend v2;
  final Mesh mesh;

  XdsTestBed() throws IOException {
    cp = ControlPlane.builder().xdsPort(0).start();
    v1 = ScriptedBackend.start(V1, 0);
    v2 = ScriptedBackend.start(V2, v1.port());
    mesh = Mesh.builder().workloadName("productpage-v1").namespace("default")
        .label("app", "productpage").instanceIps("127.0.0.1")
        .controlPlane(cp.xdsAddress()).build();
  }

  int port() {
    return v1.port();
  }

  /** Registers both backends as {@code service}'s v1 and v2, with subsets v1 and v2. */
  XdsTestBed service(String service) {
    String fqdn = service + ".default.svc.cluster.local";
    cp.register(new ServiceEndpoint(fqdn, port(), V1, Map.of("version", "v1")));
    cp.register(new ServiceEndpoint(fqdn, port(), V2, Map.of("version", "v2")));
    apply("""
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: %s}
        spec:
          host: %s
          subsets:
          - {name: v1, labels: {version: v1}}
          - {name: v2, labels: {version: v2}}
        """.formatted(service, service));
    return this;
  }

  /** Registers {@code backend} as the only endpoint of {@code service}, on the backend's port. */
  XdsTestBed service(String service, ScriptedBackend backend) {
    cp.register(new ServiceEndpoint(service + ".default.svc.cluster.local", backend.port(),
        backend.ip(), Map.of("version", "v1")));
    return this;
  }

  /** Applies {@code yaml}, which must be accepted without warnings or errors. */
  void apply(String yaml) {
    assertThat(cp.apply(yaml).all()).isEmpty();
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
  public void close() {
    mesh.close();
    v1.close();
    v2.close();
    cp.close();
  }
}
