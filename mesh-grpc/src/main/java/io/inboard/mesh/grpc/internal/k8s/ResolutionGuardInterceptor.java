package io.inboard.mesh.grpc.internal.k8s;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.inboard.mesh.api.ServiceUnavailableException;
import io.inboard.mesh.grpc.internal.client.FailedCall;

/**
 * Fails a call at once with {@code UNAVAILABLE} and the mesh's message while the channel's
 * service cannot be resolved (not found, no ready endpoints, ...). Reads one volatile field.
 */
final class ResolutionGuardInterceptor implements ClientInterceptor {

  private final ResolutionState state;

  ResolutionGuardInterceptor(ResolutionState state) {
    this.state = state;
  }

  @Override
  public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
      MethodDescriptor<ReqT, RespT> method, CallOptions callOptions, Channel next) {
    ServiceUnavailableException error = state.error();
    if (error != null) {
      // the cause tells telemetry why (UH, NR), not just what the message says
      return new FailedCall<>(
          Status.UNAVAILABLE.withDescription(error.getMessage()).withCause(error));
    }
    return next.newCall(method, callOptions);
  }
}
