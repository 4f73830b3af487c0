package io.inboard.mesh.grpc;

import static java.util.Objects.requireNonNull;

import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.ServiceName;

/**
 * Entry point for channels to mesh services.
 *
 * <pre>{@code
 * ManagedChannel ch = MeshChannels.forService(mesh, "reviews:9080")
 *     .policy(ClientPolicy.builder().timeout(Duration.ofSeconds(3)).build())
 *     .build();
 * }</pre>
 *
 * <p>Every call on a mesh channel, including one the mesh refuses before the network, is
 * reported as Istio's {@code reporter="source"} metrics (with Envoy's response flags, such as
 * {@code UH}, {@code UF}, {@code UT}, {@code URX}, {@code UO}, {@code NR}, {@code NC},
 * {@code FI}), traced as a call span with one CLIENT span per attempt when tracing is on (each
 * attempt sends its own {@code traceparent}), and counted in the mesh's Envoy-named cluster
 * stats (retries, exhausted retries, overflows, timeouts).
 */
public final class MeshChannels {

  private MeshChannels() {}

  /**
   * Starts a channel to {@code service}, written {@code NAME[.NAMESPACE[.svc[.DOMAIN]]][:PORT]};
   * without a namespace it resolves in the mesh workload's namespace. In xDS mode the channel
   * targets {@code xds:///NAME.NAMESPACE.svc.<clusterDomain>:PORT}, so a port number is needed.
   *
   * @throws IllegalArgumentException if {@code service} is not a valid service name
   */
  public static MeshChannelBuilder forService(Mesh mesh, String service) {
    requireNonNull(mesh, "mesh");
    return new MeshChannelBuilder(mesh, mesh.service(requireNonNull(service, "service")));
  }

  /** Starts a channel to {@code service}. */
  public static MeshChannelBuilder forService(Mesh mesh, ServiceName service) {
    return new MeshChannelBuilder(requireNonNull(mesh, "mesh"), requireNonNull(service, "service"));
  }
}
