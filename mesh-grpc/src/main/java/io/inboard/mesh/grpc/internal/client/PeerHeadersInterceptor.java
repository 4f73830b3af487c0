package io.inboard.mesh.grpc.internal.client;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.inboard.mesh.grpc.internal.telemetry.PeerHeaders;

/**
 * What takes {@link ClientTelemetryInterceptor}'s place when the mesh has no telemetry ({@code
 * MeshTelemetry.NONE}): it only sends this workload's peer headers, which the called workload's
 * telemetry still reads (as Istio's metadata exchange does whatever the caller records). No
 * span, no per-attempt tracer, no report: nothing would read them.
 */
final class PeerHeadersInterceptor implements ClientInterceptor {

  private final PeerHeaders peer;

  PeerHeadersInterceptor(PeerHeaders peer) {
    this.peer = peer;
  }

  @Override
  public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
      MethodDescriptor<ReqT, RespT> method, CallOptions options, Channel next) {
    return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
      @Override
      public void start(Listener<RespT> listener, Metadata headers) {
        peer.put(headers);
        super.start(listener, headers);
      }
    };
  }
}
