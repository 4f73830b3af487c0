package io.inboard.mesh.grpc;

import static java.util.Objects.requireNonNull;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.grpc.internal.inbound.InboundCalls;

/**
 * The inbound hook for gRPC servers. For each call it:
 *
 * <ul>
 *   <li>makes the call's {@link io.inboard.mesh.api.context.RequestContext} current while the
 *       service runs (propagated headers from the metadata, {@code x-request-id} generated when
 *       absent), so stubs on mesh channels carry them onwards;
 *   <li>checks the call against the workload's RequestAuthentications (a token that is present
 *       must be valid, else {@code UNAUTHENTICATED}; by default the token is removed from the
 *       metadata the service sees) and AuthorizationPolicies (Istio's order; a denial is
 *       {@code PERMISSION_DENIED "RBAC: access denied"}), as the control plane pushes them;
 *   <li>runs the mesh's {@link io.inboard.mesh.api.inbound.InboundGuard}s next; a refusal
 *       closes the call with {@code PERMISSION_DENIED} or {@code UNAUTHENTICATED};
 *   <li>starts the call's SERVER span (named {@code pkg.Service/Method}) before the access
 *       check, so denied calls are traced too; its context is the one made current, so
 *       outbound calls continue the trace;
 *   <li>answers with this workload's peer headers ({@code x-inboard-peer}, and Istio's
 *       {@code x-envoy-peer-metadata}) and reports the call once, when it closes or the client
 *       cancels it ({@code response_flags="DC"}), as Istio's {@code reporter="destination"}
 *       metrics, with the caller's identity from its peer headers. Request and response sizes
 *       are known on servers built with {@link MeshGrpc#serverBuilder(Mesh, int)} (which adds
 *       a stream tracer); a server given only this interceptor reports them as unknown;
 *   <li>on mTLS connections, sets the caller's SPIFFE ID as the context's {@code
 *       peerPrincipal()}, and reports it as {@code source_principal}, this workload's as {@code
 *       destination_principal}, and {@code connection_security_policy="mutual_tls"}.
 * </ul>
 *
 * <p>{@link MeshGrpc#serverBuilder(Mesh, int)} adds this hook and the mesh's mTLS; add it
 * yourself only to a server you build otherwise (then connections are what that server makes
 * them).
 *
 * <pre>{@code
 * Server server = NettyServerBuilder.forPort(9080)
 *     .addService(new ReviewsImpl())
 *     .intercept(MeshServerInterceptor.of(mesh))
 *     .build();
 * }</pre>
 */
public final class MeshServerInterceptor implements ServerInterceptor {

  private final InboundCalls calls;

  private MeshServerInterceptor(Mesh mesh) {
    this.calls = new InboundCalls(mesh);
  }

  /** The hook for {@code mesh}'s workload; make one per server and reuse it. */
  public static MeshServerInterceptor of(Mesh mesh) {
    return new MeshServerInterceptor(requireNonNull(mesh, "mesh"));
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    return calls.intercept(call, headers, next);
  }
}
