package io.inboard.mesh.grpc.internal.client;

import io.grpc.ClientInterceptor;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.ServiceName;
import io.inboard.mesh.api.internal.InternalMesh;
import io.inboard.mesh.api.internal.telemetry.MeshTelemetry;
import io.inboard.mesh.grpc.internal.telemetry.PeerHeaders;
import java.util.ArrayList;
import java.util.List;

/**
 * The interceptors of a mesh channel, in the order {@code ManagedChannelBuilder.intercept(list)}
 * wants them (it runs the last one first). Each call meets, in turn:
 *
 * <ol>
 *   <li>telemetry ({@link ClientTelemetryInterceptor}): first, so that calls the policy stage
 *       refuses are reported too (with {@code UH}, {@code UO}, ...) and the call's span covers
 *       them. A mesh without telemetry only sends its peer headers ({@link
 *       PeerHeadersInterceptor}), without the per-call span, tracer and report;
 *   <li>the channel's policy stage, in the order the factory gives (resolution guard, circuit
 *       breaker, default deadline);
 *   <li>header propagation ({@link PropagationClientInterceptor}): last, next to gRPC, which
 *       copies the served request's headers, trace headers included; each attempt's tracer
 *       then swaps the trace headers for its own span's when its stream is created.
 * </ol>
 */
public final class MeshClientInterceptors {

  private MeshClientInterceptors() {}

  /**
   * For {@code ManagedChannelBuilder.intercept(list)}.
   *
   * @param policy the policy stage, in the order calls should meet it
   */
  public static List<ClientInterceptor> of(Mesh mesh, ServiceName service,
      List<ClientInterceptor> policy) {
    List<ClientInterceptor> list = new ArrayList<>(policy.size() + 2);
    list.add(PropagationClientInterceptor.INSTANCE);
    for (int i = policy.size() - 1; i >= 0; i--) {
      list.add(policy.get(i));
    }
    list.add(InternalMesh.telemetry(mesh) == MeshTelemetry.NONE
        ? new PeerHeadersInterceptor(PeerHeaders.of(mesh))
        : new ClientTelemetryInterceptor(mesh, service));
    return List.copyOf(list);
  }
}
