package io.inboard.mesh.grpc;

import static io.inboard.mesh.grpc.Calls.call;
import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.internal.InternalMesh;
import io.inboard.mesh.api.internal.telemetry.EnvoyPeerMetadata;
import io.inboard.mesh.api.internal.telemetry.MeshTelemetry;
import io.inboard.mesh.api.internal.telemetry.PeerIdentity;
import io.inboard.mesh.k8s.KubernetesDiscovery;
import io.inboard.mesh.testing.GrpcBackendExtension;
import io.inboard.mesh.testing.MockCluster;
import io.inboard.mesh.testing.MockClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A mesh without telemetry ({@code -Dinboard.telemetry=off}, or no mesh-telemetry on the class
 * path) still tells the workloads it calls who it is: their own telemetry reads its peer headers.
 */
class TelemetryOffTest {

  @RegisterExtension
  final MockClusterExtension k8s = new MockClusterExtension();

  @RegisterExtension
  final GrpcBackendExtension backend = GrpcBackendExtension.on("127.0.0.2").label("app", "echo")
      .build();

  @Test
  void meshWithoutTelemetry_stillSendsItsPeerHeadersOnEveryCall() {
    MockCluster cluster = k8s.cluster();
    cluster.service("echo", "default").selector("app", "echo").port("grpc", 9080, "grpc")
        .create();
    k8s.pod("echo-a", "default", backend, "grpc").create();
    Mesh mesh = withoutTelemetry(() -> Mesh.builder().workloadName("client-v1")
        .namespace("default").label("app", "client").instanceIps("127.0.0.1")
        .discovery(KubernetesDiscovery.builder().client(cluster.client()).build()).build());
    try {
      ManagedChannel ch = MeshChannels.forService(mesh, "echo:9080").build();

      assertThat(InternalMesh.telemetry(mesh)).isSameAs(MeshTelemetry.NONE);
      assertThat(call(ch)).isEqualTo(backend.ip());
      Metadata sent = backend.lastHeaders().orElseThrow();
      PeerIdentity self = PeerIdentity.of(mesh);
      assertThat(sent.getAll(ascii(PeerIdentity.HEADER))).containsExactly(self.toHeader());
      assertThat(sent.getAll(ascii(EnvoyPeerMetadata.HEADER)))
          .containsExactly(EnvoyPeerMetadata.encode(self));
      assertThat(sent.getAll(ascii(EnvoyPeerMetadata.ID_HEADER))).hasSize(1);
    } finally {
      mesh.close();
    }
  }

  private static Metadata.Key<String> ascii(String name) {
    return Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER);
  }

  private static Mesh withoutTelemetry(java.util.function.Supplier<Mesh> build) {
    String before = System.getProperty("inboard.telemetry");
    System.setProperty("inboard.telemetry", "off");
    try {
      return build.get();
    } finally {
      if (before == null) {
        System.clearProperty("inboard.telemetry");
      } else {
        System.setProperty("inboard.telemetry", before);
      }
    }
  }
}
