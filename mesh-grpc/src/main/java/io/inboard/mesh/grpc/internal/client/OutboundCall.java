package io.inboard.mesh.grpc.internal.client;

import io.grpc.ClientCall;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.inboard.mesh.api.context.HeaderPropagation;
import io.inboard.mesh.api.context.RequestContext;
import io.inboard.mesh.api.inbound.InboundRequest;
import io.inboard.mesh.api.internal.telemetry.MeshHealthMetrics;
import io.inboard.mesh.api.internal.telemetry.MeshMetrics;
import io.inboard.mesh.api.internal.telemetry.MeshTracing;
import io.inboard.mesh.api.internal.telemetry.PeerIdentity;
import io.inboard.mesh.api.internal.telemetry.RequestDetails;
import io.inboard.mesh.api.internal.telemetry.RequestReport;
import io.inboard.mesh.api.internal.telemetry.ResponseFlag;
import io.inboard.mesh.grpc.internal.metadata.MetadataKeys;
import io.inboard.mesh.grpc.internal.telemetry.PeerHeaders;
import io.inboard.mesh.grpc.internal.telemetry.ResponseFlags;
import io.inboard.mesh.grpc.internal.telemetry.WireText;
import io.inboard.mesh.grpc.internal.tls.SessionPrincipals;
import java.util.Map;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One outbound call as telemetry sees it: it sends the peer headers, counts messages, reads the
 * server's identity from the response, and when the call closes builds its
 * {@code reporter="source"} report from the attempt that ended it, records it, ends the call's
 * span with it, and counts retries, exhausted retries, overflows and timeouts against the
 * Istio cluster.
 *
 * <p>Response code: {@code 200} when an HTTP/2 response (headers or trailers) came back,
 * {@code 0} when none did. A call whose deadline expired before any response is therefore
 * {@code 0} with flag {@code UT}: Envoy answers its own caller with a local 504 there, but a
 * proxyless client has no one to answer, and nothing came over the wire; Kiali reads both as a
 * failed request.
 */
final class OutboundCall<ReqT, RespT>
    extends ForwardingClientCall.SimpleForwardingClientCall<ReqT, RespT> {

  private static final Logger log = LoggerFactory.getLogger(OutboundCall.class);
  private static final Metadata.Key<String> REQUEST_ID =
      MetadataKeys.of(HeaderPropagation.REQUEST_ID);
  private static final Metadata.Key<String> FORWARDED_FOR = MetadataKeys.of("x-forwarded-for");

  private final ClientTelemetryInterceptor channel;
  private final MethodDescriptor<ReqT, RespT> method;
  private final RequestContext context;
  private final MeshTracing.CallSpan span;
  private final CallAttempts attempts;
  private final String authority;
  private final long startNanos = System.nanoTime();
  private final long startMillis = System.currentTimeMillis();
  private volatile long sentMessages;
  private String requestId;
  private String forwardedFor;
  private Map<String, String> captured;

  OutboundCall(ClientCall<ReqT, RespT> delegate, ClientTelemetryInterceptor channel,
      MethodDescriptor<ReqT, RespT> method, RequestContext context, MeshTracing.CallSpan span,
      CallAttempts attempts, String authority) {
    super(delegate);
    this.channel = channel;
    this.method = method;
    this.context = context;
    this.span = span;
    this.attempts = attempts;
    this.authority = authority;
  }

  @Override
  public void start(Listener<RespT> listener, Metadata headers) {
    channel.peer.put(headers);
    // what the call will carry: the application's own header, else the propagated one
    requestId = first(headers.get(REQUEST_ID), context.requestId());
    forwardedFor = first(headers.get(FORWARDED_FOR), context.header("x-forwarded-for"));
    captured = channel.captured.read(headers, context);
    super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
      private PeerIdentity destination = PeerIdentity.UNKNOWN;
      private long receivedMessages;

      @Override
      public void onHeaders(Metadata responseHeaders) {
        destination = PeerHeaders.read(responseHeaders);
        super.onHeaders(responseHeaders);
      }

      @Override
      public void onMessage(RespT message) {
        receivedMessages++;
        super.onMessage(message);
      }

      @Override
      public void onClose(Status status, Metadata trailers) {
        if (destination == PeerIdentity.UNKNOWN) {
          // a trailers-only answer still says who answered
          destination = PeerHeaders.read(trailers);
        }
        try {
          report(status, destination, receivedMessages);
        } catch (RuntimeException e) {
          // telemetry must never cost the application its answer
          log.warn("Reporting a call to {} failed", channel.destinationService, e);
        }
        super.onClose(status, trailers);
      }
    }, headers);
  }

  @Override
  public void sendMessage(ReqT message) {
    sentMessages++;
    super.sendMessage(message);
  }

  private void report(Status status, PeerIdentity destination, long receivedMessages) {
    AttemptTracer ending = attempts.ending();
    boolean fromServer = ending != null && ending.trailersReceived();
    int flags = ResponseFlags.client(status, fromServer, ending != null && ending.onConnection(),
        ending == null ? 0 : attempts.earlierCodes(ending));
    String xdsCluster = attempts.cluster();
    String cluster = xdsCluster != null ? xdsCluster : channel.defaultCluster;
    int tries = attempts.count();
    countHealth(flags, tries, cluster);
    MeshMetrics metrics = channel.telemetry.metrics();
    if (metrics == MeshMetrics.NOOP && span == MeshTracing.CallSpan.NOOP) {
      return;
    }
    SSLSession tls = ending == null ? null : SessionPrincipals.session(ending.transport());
    RequestReport report = RequestReport.builder(RequestReport.Reporter.SOURCE,
            InboundRequest.Protocol.GRPC)
        .source(channel.peer.self()).destination(destination)
        .destinationService(channel.destinationService)
        .responseCode(ending != null && ending.responded() ? 200 : 0)
        .grpcStatus(WireText.code(status.getCode()))
        .responseFlags(ResponseFlag.text(flags))
        .durationNanos(System.nanoTime() - startNanos)
        .requestBytes(ending == null ? 0 : ending.requestBytes())
        .responseBytes(ending == null ? 0 : ending.responseBytes())
        .security(SessionPrincipals.local(tls), SessionPrincipals.peer(tls), tls != null)
        .requestMessages(sentMessages).responseMessages(receivedMessages)
        .details(metrics.readsDetails(RequestReport.Reporter.SOURCE) || span.recording()
            ? details(ending, cluster, tries, flags, status) : RequestDetails.NONE)
        .build();
    metrics.record(report);
    span.end(report);
  }

  /** What access logs and recorded spans add; skipped when nothing reads it. */
  private RequestDetails details(AttemptTracer ending, String cluster, int tries, int flags,
      Status status) {
    return RequestDetails.builder()
        .startEpochMillis(startMillis).method("POST")
        .path("/" + method.getFullMethodName()).protocolVersion("HTTP/2")
        .authority(authority).userAgent(channel.userAgent)
        .requestId(requestId).forwardedFor(forwardedFor)
        .upstreamHost(ending == null ? "" : ending.upstreamHost())
        .upstreamCluster(cluster)
        .upstreamLocalAddress(ending == null ? ""
            : WireText.address(ending.transport().get(Grpc.TRANSPORT_ATTR_LOCAL_ADDR)))
        .responseCodeDetails(ending != null && ending.responded() ? "via_upstream" : "")
        .upstreamTransportFailureReason(transportFailure(flags, status))
        .upstreamServiceTimeMillis(ending == null ? -1 : ending.serviceTimeMillis())
        .attempts(tries)
        .headers(captured == null ? Map.of() : captured)
        .build();
  }

  private void countHealth(int flags, int tries, String cluster) {
    MeshHealthMetrics health = channel.telemetry.health();
    if (health == MeshHealthMetrics.NOOP) {
      return;
    }
    for (int i = 1; i < tries; i++) {
      health.count(MeshHealthMetrics.Counter.RETRY, cluster);
    }
    if (ResponseFlag.URX.in(flags)) {
      health.count(MeshHealthMetrics.Counter.RETRY_LIMIT_EXCEEDED, cluster);
    }
    if (ResponseFlag.UO.in(flags)) {
      health.count(MeshHealthMetrics.Counter.OVERFLOW, cluster);
    }
    if (ResponseFlag.UT.in(flags)) {
      health.count(MeshHealthMetrics.Counter.TIMEOUT, cluster);
    }
  }

  /** Why a connection failed or broke (UF, UC), as Envoy logs it; else {@code ""}. */
  private static String transportFailure(int flags, Status status) {
    if (!ResponseFlag.UF.in(flags) && !ResponseFlag.UC.in(flags)) {
      return "";
    }
    Throwable cause = status.getCause();
    String why = cause != null && cause.getMessage() != null ? cause.getMessage()
        : status.getDescription();
    return why == null ? "" : why;
  }

  private static String first(String a, String b) {
    return a != null ? a : b;
  }
}
