package io.inboard.mesh.grpc.internal.client;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;
import io.grpc.internal.GrpcUtil;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.ServiceName;
import io.inboard.mesh.api.context.RequestContext;
import io.inboard.mesh.api.inbound.InboundRequest;
import io.inboard.mesh.api.internal.InternalMesh;
import io.inboard.mesh.api.internal.telemetry.MeshTelemetry;
import io.inboard.mesh.api.internal.telemetry.MeshTracing;
import io.inboard.mesh.grpc.internal.telemetry.CapturedHeaders;
import io.inboard.mesh.grpc.internal.telemetry.IstioClusters;
import io.inboard.mesh.grpc.internal.telemetry.PeerHeaders;

/**
 * The outermost interceptor of a mesh channel, so that it sees every call, including those the
 * mesh refuses before the network (no endpoints, open circuit). Per call it starts the call's
 * span (a child of {@link RequestContext#current()}), gives the call a per-call
 * {@link CallAttempts} stream-tracer factory (one tracer per attempt: wire bytes, the endpoint,
 * the attempt's span and trace headers), sends this workload's peer headers, and when the call
 * closes reports it with {@code reporter="source"} ({@link OutboundCall}).
 *
 * <p>Everything per channel (identity headers, service name, Istio cluster name, user agent) is
 * made here once.
 */
final class ClientTelemetryInterceptor implements ClientInterceptor {

  final MeshTelemetry telemetry;
  final PeerHeaders peer;
  final String destinationService;
  final String defaultCluster;
  final String userAgent;
  final CapturedHeaders captured;

  ClientTelemetryInterceptor(Mesh mesh, ServiceName service) {
    this.telemetry = InternalMesh.telemetry(mesh);
    this.peer = PeerHeaders.of(mesh);
    this.destinationService = service.withoutPort().fqdn(mesh.settings().clusterDomain());
    this.defaultCluster = IstioClusters.outbound(service.port(), destinationService);
    // what grpc-netty sends as user-agent when the channel sets none (mesh channels set none)
    this.userAgent = GrpcUtil.getGrpcUserAgent("netty", null);
    this.captured = new CapturedHeaders(telemetry);
  }

  @Override
  public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
      MethodDescriptor<ReqT, RespT> method, CallOptions options, Channel next) {
    RequestContext context = RequestContext.current();
    MeshTracing.CallSpan span = telemetry.tracing()
        .startCall(method.getFullMethodName(), InboundRequest.Protocol.GRPC, context);
    CallAttempts attempts = new CallAttempts(span);
    String authority = options.getAuthority() != null ? options.getAuthority() : next.authority();
    ClientCall<ReqT, RespT> call = next.newCall(method, options.withStreamTracerFactory(attempts));
    return new OutboundCall<>(call, this, method, context, span, attempts, authority);
  }
}
