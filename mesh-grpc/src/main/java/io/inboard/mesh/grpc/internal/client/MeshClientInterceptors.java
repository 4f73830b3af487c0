package io.inboard.mesh.grpc.internal.client;

import io.grpc.ClientInterceptor;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.ServiceName;
import java.util.List;

/**
 * The interceptors every mesh channel gets, innermost first, so they see each call as it goes
 * to the transport: header propagation, and peer identity plus {@code reporter="source"}
 * telemetry. Calls refused before the transport (open circuit, no endpoints) are not counted.
 */
public final class MeshClientInterceptors {

  private MeshClientInterceptors() {}

  /** For {@code ManagedChannelBuilder.intercept(list)}, which runs the last one first. */
  public static List<ClientInterceptor> of(Mesh mesh, ServiceName service) {
    return List.of(new ClientTelemetryInterceptor(mesh, service),
        PropagationClientInterceptor.INSTANCE);
  }
}
