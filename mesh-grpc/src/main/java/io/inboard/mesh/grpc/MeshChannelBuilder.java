package io.inboard.mesh.grpc;

import static java.util.Objects.requireNonNull;

import io.grpc.ManagedChannel;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.ServiceName;
import io.inboard.mesh.api.policy.ClientPolicy;
import io.inboard.mesh.grpc.internal.MeshChannelFactory;
import java.util.List;

/**
 * Builds a channel to one mesh service. Start with {@link MeshChannels#forService}.
 *
 * <p>The channel resolves {@code k8s:///service} through the mesh's discovery and load-balances
 * with gRPC's own balancers. Its policy is the mesh's effective policy: control-plane policy for
 * the service, then {@link #policy}, then {@link ClientPolicy#DEFAULTS} (round robin, no
 * retries, no timeout, no circuit breaker), field by field.
 *
 * <p>In xDS mode ({@code Mesh.builder().controlPlane(...)}) the channel is
 * {@code xds:///reviews.default.svc.cluster.local:9080} instead: the service needs a port
 * number, and routing, load balancing, retries and the route timeout come from the control
 * plane. Of {@link #policy}, only {@code timeout} (as the default deadline of calls that set
 * none; gRPC applies the earlier of it and the route's timeout) and {@code circuitBreaker} still
 * apply; other fields are logged as not applied. The first call waits for the control plane's
 * config up to {@code Mesh.Settings#initialConfigTimeout()}.
 *
 * <p>The channel is plaintext. The mesh owns it: {@link Mesh#close()} shuts it down (waiting up
 * to 5 s for calls in flight); shutting it down earlier yourself is fine.
 */
public final class MeshChannelBuilder {

  private final Mesh mesh;
  private final ServiceName service;
  private ClientPolicy policy = ClientPolicy.EMPTY;

  MeshChannelBuilder(Mesh mesh, ServiceName service) {
    this.mesh = mesh;
    this.service = service;
  }

  /** The client's policy layer (default {@link ClientPolicy#EMPTY}: mesh defaults apply). */
  public MeshChannelBuilder policy(ClientPolicy policy) {
    this.policy = requireNonNull(policy, "policy");
    return this;
  }

  /**
   * Builds the channel.
   *
   * @throws IllegalArgumentException if gRPC cannot honour the effective policy, for example
   *     {@code loadBalancer: LEAST_REQUEST (expected: ROUND_ROBIN or PICK_FIRST for gRPC)}
   * @throws IllegalStateException if the mesh is closed
   */
  public ManagedChannel build() {
    return MeshChannelFactory.create(mesh, service, policy, List.of());
  }
}
