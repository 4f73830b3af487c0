package io.inboard.mesh.grpc.internal.inbound;

import io.grpc.ForwardingServerCall;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;
import io.inboard.mesh.api.context.RequestContext;
import io.inboard.mesh.api.inbound.InboundRequest;
import io.inboard.mesh.api.internal.telemetry.MeshMetrics;
import io.inboard.mesh.api.internal.telemetry.MeshTracing;
import io.inboard.mesh.api.internal.telemetry.PeerIdentity;
import io.inboard.mesh.api.internal.telemetry.RequestDetails;
import io.inboard.mesh.api.internal.telemetry.RequestReport;
import io.inboard.mesh.api.internal.telemetry.ResponseFlag;
import io.inboard.mesh.grpc.internal.metadata.MetadataKeys;
import io.inboard.mesh.grpc.internal.telemetry.IstioClusters;
import io.inboard.mesh.grpc.internal.telemetry.ResponseFlags;
import io.inboard.mesh.grpc.internal.telemetry.WireText;
import io.inboard.mesh.security.internal.inbound.RequestParts;
import java.net.SocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server call that answers with this workload's peer headers and reports itself once, with
 * {@code reporter="destination"}: when it closes, or when the client cancels it first (then
 * flag {@code DC}, gRPC status {@code 1} as the server saw it, and response code {@code 0}
 * unless headers had gone out). Its report also ends the call's SERVER span.
 */
final class InboundServerCall<ReqT, RespT>
    extends ForwardingServerCall.SimpleForwardingServerCall<ReqT, RespT> {

  private static final Logger log = LoggerFactory.getLogger(InboundServerCall.class);
  private static final Metadata.Key<String> USER_AGENT = MetadataKeys.of("user-agent");
  private static final Metadata.Key<String> FORWARDED_FOR = MetadataKeys.of("x-forwarded-for");

  private final InboundCalls workload;
  private final Metadata requestHeaders;
  private final PeerIdentity source;
  private final RequestContext context;
  private final MeshTracing.ServerSpan span; // null when tracing is off
  private final InboundStreamTracer wire;
  private final Security security;
  private final long startNanos = System.nanoTime();
  private final long startMillis = System.currentTimeMillis();
  private final AtomicBoolean reported = new AtomicBoolean();
  private volatile boolean headersSent;
  private volatile long receivedMessages;
  private volatile long sentMessages;

  InboundServerCall(ServerCall<ReqT, RespT> call, InboundCalls workload, Metadata requestHeaders,
      PeerIdentity source, RequestContext context, MeshTracing.ServerSpan span,
      InboundStreamTracer wire, Security security) {
    super(call);
    this.workload = workload;
    this.requestHeaders = requestHeaders;
    this.source = source;
    this.context = context;
    this.span = span;
    this.wire = wire;
    this.security = security;
  }

  /**
   * How the connection was secured: the two SPIFFE IDs ({@code ""} unknown) and the TLS session
   * ({@code null} on plaintext; with TLS the server required a client certificate: mTLS).
   */
  record Security(String peerPrincipal, String localPrincipal, SSLSession tls) {}

  @Override
  public void sendHeaders(Metadata headers) {
    headersSent = true;
    workload.peer.put(headers);
    super.sendHeaders(headers);
  }

  @Override
  public void sendMessage(RespT message) {
    sentMessages++;
    super.sendMessage(message);
  }

  @Override
  public void close(Status status, Metadata trailers) {
    if (!headersSent) {
      // trailers-only response: the caller still learns who answered
      workload.peer.put(trailers);
    }
    report(status, false);
    super.close(status, trailers);
  }

  /** A request message reached the application. */
  void received() {
    receivedMessages++;
  }

  /** The client went away (cancelled, reset or its deadline expired) before the call closed. */
  void cancelled() {
    report(Status.CANCELLED, true);
  }

  private void report(Status status, boolean cancelled) {
    if (!reported.compareAndSet(false, true)) {
      return;
    }
    try {
      record(status, cancelled);
    } catch (RuntimeException e) {
      // telemetry must never cost the caller its answer
      log.warn("Reporting inbound call {} failed", getMethodDescriptor().getFullMethodName(), e);
    }
  }

  private void record(Status status, boolean cancelled) {
    MeshMetrics metrics = workload.telemetry.metrics();
    if (metrics == MeshMetrics.NOOP && span == null) {
      return;
    }
    SocketAddress local = getAttributes().get(Grpc.TRANSPORT_ATTR_LOCAL_ADDR);
    String localText = WireText.address(local);
    RequestReport report = RequestReport.builder(RequestReport.Reporter.DESTINATION,
            InboundRequest.Protocol.GRPC)
        .source(source).destination(workload.peer.self())
        .destinationService(workload.destinationService)
        .responseCode(cancelled && !headersSent ? 0 : 200)
        .grpcStatus(WireText.code(status.getCode()))
        .responseFlags(ResponseFlag.text(ResponseFlags.server(cancelled)))
        .durationNanos(System.nanoTime() - startNanos)
        .requestBytes(wire == null ? -1 : wire.requestBytes())
        .responseBytes(wire == null ? -1 : wire.responseBytes())
        .security(security.peerPrincipal(), security.localPrincipal(), security.tls() != null)
        .requestMessages(receivedMessages).responseMessages(sentMessages)
        .details(RequestDetails.builder()
            .startEpochMillis(startMillis).method("POST")
            .path("/" + getMethodDescriptor().getFullMethodName()).protocolVersion("HTTP/2")
            .authority(getAuthority()).userAgent(requestHeaders.get(USER_AGENT))
            .requestId(context.requestId()).forwardedFor(requestHeaders.get(FORWARDED_FOR))
            .upstreamHost(localText)
            .upstreamCluster(IstioClusters.inbound(RequestParts.port(local)))
            .downstreamLocalAddress(localText)
            .downstreamRemoteAddress(
                WireText.address(getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR)))
            .requestedServerName(RequestParts.sni(security.tls()))
            .responseCodeDetails(cancelled ? "downstream_remote_disconnect" : "via_upstream")
            .attempts(1)
            .headers(workload.captured.read(requestHeaders, RequestContext.EMPTY))
            .build())
        .build();
    metrics.record(report);
    if (span != null) {
      span.end(report);
    }
  }
}
