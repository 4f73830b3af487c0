package io.inboard.mesh.grpc.internal.client;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.ServiceName;
import io.inboard.mesh.api.inbound.InboundRequest;
import io.inboard.mesh.api.internal.InternalMesh;
import io.inboard.mesh.api.internal.telemetry.MeshMetrics;
import io.inboard.mesh.api.internal.telemetry.PeerIdentity;
import io.inboard.mesh.api.internal.telemetry.RequestReport;
import io.inboard.mesh.grpc.internal.metadata.MetadataKeys;
import io.inboard.mesh.grpc.internal.tls.SessionPrincipals;
import javax.net.ssl.SSLSession;

/**
 * Sends this workload's identity ({@code x-inboard-peer}) on each outbound call, and reports
 * the call with {@code reporter="source"}: the server's identity from its response header
 * (unknown when it runs no Inboard hook), the gRPC status, and the time to close. On mTLS
 * connections the principals are the SPIFFE IDs of the server's certificate and of this
 * workload's own, read from the TLS session grpc exposes on the call.
 */
final class ClientTelemetryInterceptor implements ClientInterceptor {

  private static final Metadata.Key<String> PEER = MetadataKeys.of(PeerIdentity.HEADER);

  private final Mesh mesh;
  private final PeerIdentity self;
  private final String selfHeader;
  private final String destinationService;

  ClientTelemetryInterceptor(Mesh mesh, ServiceName service) {
    this.mesh = mesh;
    this.self = PeerIdentity.of(mesh);
    this.selfHeader = self.toHeader();
    this.destinationService = service.withoutPort().fqdn(mesh.settings().clusterDomain());
  }

  @Override
  public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
      MethodDescriptor<ReqT, RespT> method, CallOptions options, Channel next) {
    ClientCall<ReqT, RespT> call = next.newCall(method, options);
    return new ForwardingClientCall.SimpleForwardingClientCall<>(call) {
      @Override
      public void start(Listener<RespT> listener, Metadata headers) {
        headers.discardAll(PEER);
        headers.put(PEER, selfHeader);
        long start = System.nanoTime();
        super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(
            listener) {
          private PeerIdentity destination = PeerIdentity.UNKNOWN;
          private SSLSession tls;

          @Override
          public void onHeaders(Metadata responseHeaders) {
            destination = PeerIdentity.parse(responseHeaders.get(PEER));
            tls = SessionPrincipals.session(call.getAttributes());
            super.onHeaders(responseHeaders);
          }

          @Override
          public void onClose(Status status, Metadata trailers) {
            if (destination == PeerIdentity.UNKNOWN) {
              // A call failed before headers (trailers-only) still says who answered.
              destination = PeerIdentity.parse(trailers.get(PEER));
            }
            if (tls == null) {
              tls = SessionPrincipals.session(call.getAttributes());
            }
            report(destination, tls, status, System.nanoTime() - start);
            super.onClose(status, trailers);
          }
        }, headers);
      }
    };
  }

  private void report(PeerIdentity destination, SSLSession tls, Status status, long nanos) {
    MeshMetrics metrics = InternalMesh.telemetry(mesh).metrics();
    if (metrics == MeshMetrics.NOOP) {
      return;
    }
    // Istio reports gRPC calls with HTTP 200 unless no HTTP response came back at all.
    int http = status.isOk() || destination != PeerIdentity.UNKNOWN ? 200 : 0;
    metrics.record(RequestReport.builder(RequestReport.Reporter.SOURCE,
        InboundRequest.Protocol.GRPC).source(self).destination(destination)
        .destinationService(destinationService).responseCode(http)
        .grpcStatus(Integer.toString(status.getCode().value())).durationNanos(nanos)
        .security(SessionPrincipals.local(tls), SessionPrincipals.peer(tls), tls != null)
        .build());
  }
}
