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
import io.inboard.mesh.api.internal.InternalMesh;
import io.inboard.mesh.api.internal.telemetry.PeerIdentity;
import io.inboard.mesh.grpc.internal.metadata.MetadataKeys;
import io.inboard.mesh.grpc.internal.tls.SessionPrincipals;
import io.inboard.mesh.security.internal.inbound.AccessVerdict;
import io.inboard.mesh.security.internal.inbound.InboundAccess;
import java.util.List;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What {@code MeshServerInterceptor} does per call; everything per-workload is made once. */
public final class InboundCalls {

  private static final Logger log = LoggerFactory.getLogger(InboundCalls.class);

  private final Mesh mesh;
  private final PeerIdentity self;
  private final String selfHeader;
  private final String destinationService;
  private final List<InboundGuard> guards;
  private final InboundAccess access;

  /** Reads {@code mesh}'s identity, served service and guards. */
  public InboundCalls(Mesh mesh) {
    this.mesh = mesh;
    this.self = PeerIdentity.of(mesh);
    this.selfHeader = self.toHeader();
    this.destinationService = mesh.settings().servedHost().orElse(PeerIdentity.UNKNOWN_VALUE);
    this.guards = InternalMesh.inboundGuards(mesh);
    this.access = InboundAccess.of(mesh);
  }

  /**
   * Sets the context, checks the call against the workload's RequestAuthentications and
   * AuthorizationPolicies, runs the guards, and wraps the call for telemetry.
   */
  public <ReqT, RespT> ServerCall.Listener<ReqT> intercept(ServerCall<ReqT, RespT> call,
      Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    SSLSession tls = SessionPrincipals.session(call.getAttributes());
    String peerPrincipal = SessionPrincipals.peer(tls);
    RequestContext ctx = InternalMesh.propagation(mesh)
        .extract(name -> headers.get(MetadataKeys.of(name)));
    if (!peerPrincipal.isEmpty()) {
      ctx = ctx.withPeerPrincipal(peerPrincipal);
    }
    PeerIdentity source = PeerIdentity.parse(headers.get(InboundServerCall.PEER));
    // the server requires a client certificate on every TLS connection: TLS here is mTLS
    ServerCall<ReqT, RespT> wrapped = new InboundServerCall<>(call,
        InternalMesh.telemetry(mesh).metrics(), source, self, selfHeader, destinationService,
        new InboundServerCall.Security(peerPrincipal, SessionPrincipals.local(tls), tls != null));
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
      return new ContextListener<>(next.startCall(wrapped, headers), ctx);
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
