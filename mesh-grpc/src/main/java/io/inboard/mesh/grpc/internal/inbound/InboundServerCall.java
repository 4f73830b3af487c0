package io.inboard.mesh.grpc.internal.inbound;

import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;
import io.inboard.mesh.api.inbound.InboundRequest;
import io.inboard.mesh.api.internal.telemetry.MeshMetrics;
import io.inboard.mesh.api.internal.telemetry.PeerIdentity;
import io.inboard.mesh.api.internal.telemetry.RequestReport;
import io.inboard.mesh.grpc.internal.metadata.MetadataKeys;

/**
 * A server call that answers with this workload's identity and reports itself with
 * {@code reporter="destination"} when it closes.
 */
final class InboundServerCall<ReqT, RespT>
    extends ForwardingServerCall.SimpleForwardingServerCall<ReqT, RespT> {

  static final Metadata.Key<String> PEER = MetadataKeys.of(PeerIdentity.HEADER);

  private final MeshMetrics metrics;
  private final PeerIdentity source;
  private final PeerIdentity self;
  private final String selfHeader;
  private final String destinationService;
  private final Security security;
  private final long startNanos = System.nanoTime();
  private boolean headersSent;

  InboundServerCall(ServerCall<ReqT, RespT> call, MeshMetrics metrics, PeerIdentity source,
      PeerIdentity self, String selfHeader, String destinationService, Security security) {
    super(call);
    this.metrics = metrics;
    this.source = source;
    this.self = self;
    this.selfHeader = selfHeader;
    this.destinationService = destinationService;
    this.security = security;
  }

  /** How the connection was secured: the two SPIFFE IDs ({@code ""} unknown), and whether mTLS. */
  record Security(String peerPrincipal, String localPrincipal, boolean mutualTls) {}

  @Override
  public void sendHeaders(Metadata headers) {
    headersSent = true;
    headers.put(PEER, selfHeader);
    super.sendHeaders(headers);
  }

  @Override
  public void close(Status status, Metadata trailers) {
    if (!headersSent) {
      // Trailers-only response: the caller still learns who answered.
      trailers.put(PEER, selfHeader);
    }
    metrics.record(RequestReport.builder(RequestReport.Reporter.DESTINATION,
        InboundRequest.Protocol.GRPC).source(source).destination(self)
        .destinationService(destinationService).responseCode(200)
        .grpcStatus(Integer.toString(status.getCode().value()))
        .durationNanos(System.nanoTime() - startNanos)
        .security(security.peerPrincipal(), security.localPrincipal(), security.mutualTls())
        .build());
    super.close(status, trailers);
  }
}
