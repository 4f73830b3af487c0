package io.inboard.benchmarks.grpc;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.inboard.benchmarks.http.ClientPaths;
import io.inboard.benchmarks.http.OpenLoop;
import io.inboard.benchmarks.mtls.ByteEcho;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.grpc.MeshChannels;
import io.inboard.mesh.k8s.KubernetesDiscovery;
import java.time.Duration;

/**
 * The gRPC client paths, each built as an application builds it; every one calls
 * {@code bench.Echo/Get} on {@link GrpcBenchServers}' plain grpc-netty server.
 *
 * <ul>
 *   <li>{@code direct}: a plaintext grpc-netty channel to the server's address.
 *   <li>{@code inboard-xds}: {@link MeshChannels} on a mesh in xDS mode
 *       ({@code Mesh.builder().controlPlane(...)}), target {@code echo:9090}: routing, retries,
 *       pool limits and outlier detection come from the control plane's VirtualService and
 *       DestinationRule ({@link GrpcBenchServers#POLICY_YAML}).
 *   <li>{@code inboard-k8s}: {@link MeshChannels} on a mesh that resolves {@code echo:9090}
 *       through the Kubernetes API ({@link KubernetesDiscovery} on the mock API server), with the
 *       HTTP benchmark's policy ({@link ClientPaths#POLICY}) given by the builder.
 *   <li>{@code sidecar}: the same plaintext channel as {@code direct}, to the client-side HAProxy,
 *       which forwards over HTTP/2 to the server-side HAProxy, which forwards over HTTP/2 to the
 *       server ({@code benchmarks/haproxy/*-h2.cfg}).
 * </ul>
 *
 * Both meshes have telemetry as in production when {@code mesh-telemetry} is on the class path
 * (run-grpc-overhead.sh puts it there): Istio's metrics with the default rules, found by
 * {@code ServiceLoader}.
 */
public final class GrpcPaths {

  /** A path ready to call, and what to close after the run. */
  public record Built(OpenLoop.Call call, AutoCloseable resources) {}

  /** Where the paths' far ends listen: all on 127.0.0.1 except the mock API's URL. */
  public record Ports(int grpc, int xds, int sidecar, String k8sUrl) {}

  private GrpcPaths() {}

  /** Path {@code direct}, {@code inboard-xds}, {@code inboard-k8s} or {@code sidecar}. */
  public static Built build(String path, Ports ports) {
    return switch (path) {
      case "direct" -> plain(ports.grpc());
      case "sidecar" -> plain(ports.sidecar());
      case "inboard-xds" -> meshed(Mesh.builder().workloadName("bench-client")
          .namespace("default").label("app", "bench-client").instanceIps("127.0.0.1")
          .controlPlane("127.0.0.1:" + ports.xds()).initialConfigTimeout(Duration.ofSeconds(20))
          .adminPort(-1).build(), null, false);
      case "inboard-k8s" -> k8s(ports.k8sUrl());
      default -> throw new IllegalArgumentException("path: '" + path
          + "' (expected: direct, inboard-xds, inboard-k8s or sidecar)");
    };
  }

  private static Built plain(int port) {
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext()
        .build();
    return new Built(ByteEcho.unaryCalls(channel), channel::shutdownNow);
  }

  private static Built k8s(String url) {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("k8sUrl: '' (expected: the mock API server's URL)");
    }
    KubernetesClient client = new KubernetesClientBuilder().withConfig(
        new ConfigBuilder(Config.empty()).withMasterUrl(url).withNamespace("default").build())
        .build();
    Mesh mesh = Mesh.builder().workloadName("bench-client").namespace("default")
        .label("app", "bench-client").instanceIps("127.0.0.1")
        .discovery(KubernetesDiscovery.builder().client(client).build()).adminPort(-1).build();
    return meshed(mesh, client, true);
  }

  private static Built meshed(Mesh mesh, KubernetesClient client, boolean builderPolicy) {
    String target = "echo:" + GrpcBenchServers.SERVICE_PORT;
    ManagedChannel channel = (builderPolicy
        ? MeshChannels.forService(mesh, target).policy(ClientPaths.POLICY)
        : MeshChannels.forService(mesh, target)).build();
    return new Built(ByteEcho.unaryCalls(channel), () -> {
      mesh.close(); // shuts the channel down
      if (client != null) {
        client.close();
      }
    });
  }
}
