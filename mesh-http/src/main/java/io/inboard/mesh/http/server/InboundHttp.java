package io.inboard.mesh.http.server;

import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.context.RequestContext;
import io.inboard.mesh.api.inbound.InboundDecision;
import io.inboard.mesh.api.inbound.InboundGuard;
import io.inboard.mesh.api.inbound.InboundRequest;
import io.inboard.mesh.api.internal.InternalMesh;
import io.inboard.mesh.api.internal.telemetry.MeshMetrics;
import io.inboard.mesh.api.internal.telemetry.PeerIdentity;
import io.inboard.mesh.api.internal.telemetry.RequestReport;
import io.inboard.mesh.http.internal.transport.Requests;
import io.inboard.mesh.security.internal.identity.MeshIdentity;
import io.inboard.mesh.security.internal.inbound.AccessRequest;
import io.inboard.mesh.security.internal.inbound.AccessVerdict;
import io.inboard.mesh.security.internal.inbound.InboundAccess;
import io.inboard.mesh.security.internal.tls.PeerPrincipals;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every HTTP inbound hook does, whichever server it sits in: read the context and the
 * caller's identity, run the guards, report the request. Everything per-workload is made once.
 */
final class InboundHttp {

  private static final Logger log = LoggerFactory.getLogger(InboundHttp.class);

  /** Refuses a request whose guard threw: the guard's failure must not open the door. */
  static final int GUARD_FAILED_STATUS = 500;

  private final Mesh mesh;
  private final PeerIdentity self;
  private final String selfHeader;
  private final String destinationService;
  private final List<InboundGuard> guards;
  // the server's own SPIFFE ID, reported as destination_principal on mTLS connections
  private final String selfPrincipal;
  private final InboundAccess access;

  InboundHttp(Mesh mesh) {
    this.mesh = mesh;
    this.self = PeerIdentity.of(mesh);
    this.selfHeader = self.toHeader();
    this.destinationService = mesh.settings().servedHost().orElse(PeerIdentity.UNKNOWN_VALUE);
    this.guards = InternalMesh.inboundGuards(mesh);
    this.selfPrincipal = MeshIdentity.of(mesh).map(id -> id.id().toString())
        .orElse(PeerIdentity.UNKNOWN_VALUE);
    this.access = InboundAccess.of(mesh);
  }

  /** Whether AuthorizationPolicies or RequestAuthentications apply to this workload now. */
  boolean accessActive() {
    return access.active();
  }

  /**
   * Checks {@code request} against the workload's RequestAuthentications and
   * AuthorizationPolicies: an {@link AccessVerdict.Allow} with the header changes to make before
   * the application sees it, or the {@link AccessVerdict.Deny} to answer with.
   */
  AccessVerdict checkAccess(AccessRequest request) {
    return access.check(request);
  }

  /** The refusal an access denial answers with: Envoy's status, body and challenge. */
  static Refusal refusal(AccessVerdict.Deny deny) {
    return new Refusal(deny.httpStatus(), deny.message(),
        deny.httpStatus() == 401 ? "Bearer error=\"invalid_token\"" : null);
  }

  /**
   * The SPIFFE ID of the client certificate {@code chain} (leaf first), or {@code ""} when the
   * connection is plaintext or the certificate carries no single SPIFFE ID. The server's TLS
   * already verified the chain against the mesh roots.
   */
  static String principal(List<X509Certificate> chain) {
    return chain.isEmpty() ? "" : PeerPrincipals.of(chain.get(0));
  }

  /**
   * The authority the caller addressed: what an Inboard client sends in {@value
   * Requests#AUTHORITY_HEADER} (its {@code Host} is the endpoint's address), else {@code Host};
   * {@code ""} when neither is present. {@code header} reads a header by name.
   */
  static String authority(Function<String, String> header) {
    String forwarded = header.apply(Requests.AUTHORITY_HEADER);
    String host = forwarded != null ? forwarded : header.apply("Host");
    return host == null ? "" : host;
  }

  /** This workload's {@code x-inboard-peer} value, sent on every response. */
  String selfHeader() {
    return selfHeader;
  }

  /** The request's context; {@code header} reads a header by lower-case name. */
  RequestContext context(Function<String, String> header) {
    return InternalMesh.propagation(mesh).extract(header);
  }

  /**
   * The request's context carrying {@code peerPrincipal}, the caller's SPIFFE ID from its
   * certificate ({@code ""} for none).
   */
  RequestContext context(Function<String, String> header, String peerPrincipal) {
    RequestContext ctx = context(header);
    return peerPrincipal.isEmpty() ? ctx : ctx.withPeerPrincipal(peerPrincipal);
  }

  /**
   * The refusal for {@code request}, or {@code null} to let it
   * through. Called with the request's context current.
   */
  Refusal check(InboundRequest request) {
    if (guards.isEmpty()) {
      return null;
    }
    try {
      InboundDecision d = InboundGuard.checkAll(guards, request);
      return d instanceof InboundDecision.Deny deny
          ? new Refusal(deny.reason().httpStatus(), deny.message() + "\n", null) : null;
    } catch (RuntimeException e) {
      log.warn("An inbound guard failed on {} {}; the request is refused", request.method(),
          request.path(), e);
      return new Refusal(GUARD_FAILED_STATUS, "inbound guard failed\n", null);
    }
  }

  /** Reports a finished plaintext request with {@code reporter="destination"}. */
  void report(String sourceHeader, int status, long startNanos, long requestBytes) {
    report(sourceHeader, status, startNanos, requestBytes, "", false);
  }

  /**
   * Reports a finished request with {@code reporter="destination"}.
   *
   * @param peerPrincipal the caller's SPIFFE ID from its certificate, {@code ""} for none
   * @param mutualTls whether the connection presented a verified client certificate
   */
  void report(String sourceHeader, int status, long startNanos, long requestBytes,
      String peerPrincipal, boolean mutualTls) {
    MeshMetrics metrics = InternalMesh.telemetry(mesh).metrics();
    if (metrics == MeshMetrics.NOOP) {
      return;
    }
    metrics.record(RequestReport.builder(RequestReport.Reporter.DESTINATION,
        InboundRequest.Protocol.HTTP).source(PeerIdentity.parse(sourceHeader)).destination(self)
        .destinationService(destinationService).responseCode(status)
        .durationNanos(System.nanoTime() - startNanos).requestBytes(requestBytes)
        .security(peerPrincipal, mutualTls ? selfPrincipal : PeerIdentity.UNKNOWN_VALUE,
            mutualTls)
        .build());
  }

  /**
   * A refusal as an HTTP status and body.
   *
   * @param body the response body, exactly
   * @param challenge the {@code WWW-Authenticate} value to send, or {@code null}
   */
  record Refusal(int status, String body, String challenge) {}
}
