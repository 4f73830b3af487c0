package io.inboard.mesh.grpc.internal.inbound;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.Status;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.context.RequestContext;
import io.inboard.mesh.api.context.Scope;
import io.inboard.mesh.api.inbound.InboundDecision;
import io.inboard.mesh.api.inbound.InboundGuard;
import io.inboard.mesh.api.inbound.InboundRequest;
import io.inboard.mesh.api.internal.InternalMesh;
import io.inboard.mesh.api.internal.telemetry.MeshTelemetry;
import io.inboard.mesh.api.internal.telemetry.MeshTracing;
import io.inboard.mesh.api.internal.telemetry.PeerIdentity;
import io.inboard.mesh.grpc.internal.metadata.MetadataKeys;
import io.inboard.mesh.grpc.internal.telemetry.CapturedHeaders;
import io.inboard.mesh.grpc.internal.telemetry.PeerHeaders;
import io.inboard.mesh.grpc.internal.tls.SessionPrincipals;
import io.inboard.mesh.security.internal.inbound.AccessVerdict;
import io.inboard.mesh.security.internal.inbound.InboundAccess;
import java.util.List;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code MeshServerInterceptor} does per call; everything per-workload is made once. The
 * order per call: the context from the propagated headers, the SERVER span (its context becomes
 * the call's, so outbound calls made while serving continue the trace; started before the
 * access check, so denied calls are traced too), the access check, the guards, and the
 * application with the context current. The call reports itself when it closes or the client
 * cancels it ({@link InboundServerCall}).
 */
public final class InboundCalls {

  private static final Logger log = LoggerFactory.getLogger(InboundCalls.class);

  final MeshTelemetry telemetry;
  final PeerHeaders peer;
  final String destinationService;
  final CapturedHeaders captured;
  private final Mesh mesh;
  private final List<InboundGuard> guards;
  private final InboundAccess access;

  /** Reads {@code mesh}'s identity, served service and guards. */
  public InboundCalls(Mesh mesh) {
    this.mesh = mesh;
    this.telemetry = InternalMesh.telemetry(mesh);
    this.peer = PeerHeaders.of(mesh);
    this.destinationService = mesh.settings().servedHost().orElse(PeerIdentity.UNKNOWN_VALUE);
    this.captured = new CapturedHeaders(telemetry);
    this.guards = InternalMesh.inboundGuards(mesh);
    this.access = InboundAccess.of(mesh);
  }

  /**
   * Sets the context, starts the span, checks the call against the workload's
   * RequestAuthentications and AuthorizationPolicies, runs the guards, and wraps the call for
   * telemetry.
   */
  public <ReqT, RespT> ServerCall.Listener<ReqT> intercept(ServerCall<ReqT, RespT> call,
      Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    SSLSession tls = SessionPrincipals.session(call.getAttributes());
    String peerPrincipal = SessionPrincipals.peer(tls);
    RequestContext inbound = InternalMesh.propagation(mesh)
        .extract(name -> headers.get(MetadataKeys.of(name)));
    if (!peerPrincipal.isEmpty()) {
      inbound = inbound.withPeerPrincipal(peerPrincipal);
    }
    MeshTracing tracing = telemetry.tracing();
    MeshTracing.ServerSpan span = tracing.startServer(
        call.getMethodDescriptor().getFullMethodName(), InboundRequest.Protocol.GRPC, inbound);
    RequestContext ctx = span.context();
    if (!peerPrincipal.isEmpty() && !peerPrincipal.equals(ctx.peerPrincipal())) {
      ctx = ctx.withPeerPrincipal(peerPrincipal); // the span only rewrites trace headers
    }
    // the server requires a client certificate on every TLS connection: TLS here is mTLS
    InboundServerCall<ReqT, RespT> wrapped = new InboundServerCall<>(call, this, headers,
        PeerHeaders.read(headers), ctx, tracing == MeshTracing.NOOP ? null : span,
        InboundStreamTracer.KEY.get(),
        new InboundServerCall.Security(peerPrincipal, SessionPrincipals.local(tls), tls));
    try (Scope s = ctx.makeCurrent()) {
      if (access.active()) {
        GrpcAccessRequest request = new GrpcAccessRequest(call, headers, tls, peerPrincipal);
        AccessVerdict verdict = access.check(request);
        if (verdict instanceof AccessVerdict.Deny deny) {
          wrapped.close(Status.fromCodeValue(deny.grpcCode()).withDescription(deny.message()),
              new Metadata());
          return new ServerCall.Listener<>() {};
        }
        request.apply(((AccessVerdict.Allow) verdict).changes());
      }
      if (!guards.isEmpty()) {
        Status refused = check(new GrpcInboundRequest(call, headers));
        if (refused != null) {
          wrapped.close(refused, new Metadata());
          return new ServerCall.Listener<>() {};
        }
      }
      return new ContextListener<>(next.startCall(wrapped, headers), ctx, wrapped);
    }
  }

  private Status check(GrpcInboundRequest request) {
    try {
      InboundDecision d = InboundGuard.checkAll(guards, request);
      return d instanceof InboundDecision.Deny deny
          ? Status.fromCodeValue(deny.reason().grpcCode()).withDescription(deny.message())
          : null;
    } catch (RuntimeException e) {
      log.warn("An inbound guard failed on {}; the call is refused", request.path(), e);
      return Status.INTERNAL.withDescription("inbound guard failed");
    }
  }
}
