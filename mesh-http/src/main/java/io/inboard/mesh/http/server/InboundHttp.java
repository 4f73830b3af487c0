package io.inboard.mesh.http.server;

import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.context.RequestContext;
import io.inboard.mesh.api.inbound.InboundDecision;
import io.inboard.mesh.api.inbound.InboundGuard;
import io.inboard.mesh.api.inbound.InboundRequest;
import io.inboard.mesh.api.internal.InternalMesh;
import io.inboard.mesh.api.internal.telemetry.EnvoyPeerMetadata;
import io.inboard.mesh.api.internal.telemetry.LocalPeerHeaders;
import io.inboard.mesh.api.internal.telemetry.MeshMetrics;
import io.inboard.mesh.api.internal.telemetry.MeshTelemetry;
import io.inboard.mesh.api.internal.telemetry.MeshTracing;
import io.inboard.mesh.api.internal.telemetry.PeerIdentity;
import io.inboard.mesh.api.internal.telemetry.RequestDetails;
import io.inboard.mesh.api.internal.telemetry.RequestReport;
import io.inboard.mesh.http.internal.telemetry.ResponseFlags;
import io.inboard.mesh.http.internal.transport.Requests;
import io.inboard.mesh.security.internal.identity.MeshIdentity;
import io.inboard.mesh.security.internal.inbound.AccessRequest;
import io.inboard.mesh.security.internal.inbound.AccessVerdict;
import io.inboard.mesh.security.internal.inbound.InboundAccess;
import io.inboard.mesh.security.internal.tls.PeerPrincipals;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every HTTP inbound hook does, whichever server it sits in: read the context and the
 * caller's identity, run the guards, report the request. Everything per-workload is made once.
 */
final class InboundHttp {

  private static final Logger log = LoggerFactory.getLogger(InboundHttp.class);

  /** Envoy's details for a request an AuthorizationPolicy denied. */
  static final String RBAC_DENIED = "rbac_access_denied_matched_policy[none]";
  /** Envoy's details for a request whose JWT was refused. */
  static final String JWT_DENIED = "jwt_authn_access_denied";
  /** The details for a request an inbound guard refused. */
  static final String GUARD_DENIED = "inbound_guard_denied";
  /** Envoy's details when the caller went away before the response was sent. */
  static final String DOWNSTREAM_DISCONNECT = "downstream_remote_disconnect";

  /** Refuses a request whose guard threw: the guard's failure must not open the door. */
  static final int GUARD_FAILED_STATUS = 500;

  /** Istio's name of the inbound route, {@code %ROUTE_NAME%} on the server side. */
  static final String INBOUND_ROUTE = "default";

  private final Mesh mesh;
  private final MeshTelemetry telemetry;
  private final LocalPeerHeaders peers;
  private final PeerIdentity self;
  private final String destinationService;
  private final List<InboundGuard> guards;
  // the server's own SPIFFE ID, reported as destination_principal on mTLS connections
  private final String selfPrincipal;
  private final InboundAccess access;

  InboundHttp(Mesh mesh) {
    this.mesh = mesh;
    this.telemetry = InternalMesh.telemetry(mesh);
    this.peers = InternalMesh.peerHeaders(mesh);
    this.self = peers.self();
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
    boolean unauthenticated = deny.httpStatus() == 401;
    return new Refusal(deny.httpStatus(), deny.message(),
        unauthenticated ? "Bearer error=\"invalid_token\"" : null,
        unauthenticated ? JWT_DENIED : RBAC_DENIED);
  }

  /** The SNI host name the client asked for in {@code tls}, or {@code ""}. */
  static String serverName(ExtendedSSLSession tls) {
    for (SNIServerName n : tls.getRequestedServerNames()) {
      if (n instanceof SNIHostName host) {
        return host.getAsciiName();
      }
    }
    return "";
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
          ? new Refusal(deny.reason().httpStatus(), deny.message() + "\n", null, GUARD_DENIED)
          : null;
    } catch (RuntimeException e) {
      log.warn("An inbound guard failed on {} {}; the request is refused", request.method(),
          request.path(), e);
      return new Refusal(GUARD_FAILED_STATUS, "inbound guard failed\n", null, GUARD_DENIED);
    }
  }

  /** Answers with this workload's peer headers, through {@code header} (name, value). */
  void answerPeerHeaders(BiConsumer<String, String> header) {
    peers.forEach(header);
  }

  /**
   * Starts observing an inbound request whose context is {@code inbound}: its SERVER span
   * (named after the method) starts now, before any access check, so refused requests are
   * traced too. {@code null} when telemetry neither records nor traces: the request then runs
   * in {@code inbound} and nothing is reported.
   */
  ServerCall begin(String method, RequestContext inbound) {
    MeshTracing tracing = telemetry.tracing();
    if (tracing == MeshTracing.NOOP && telemetry.metrics() == MeshMetrics.NOOP) {
      return null;
    }
    return new ServerCall(tracing.startServer(method, InboundRequest.Protocol.HTTP, inbound));
  }

  /** The request headers the telemetry policy captures, read with {@code header}. */
  Map<String, String> captured(Function<String, String> header) {
    Set<String> names = telemetry.capturedHeaders();
    if (names.isEmpty()) {
      return Map.of();
    }
    Map<String, String> m = new HashMap<>();
    for (String n : names) {
      String v = header.apply(n);
      if (v != null) {
        m.put(n, v);
      }
    }
    return m;
  }

  /**
   * Reports a finished request with {@code reporter="destination"} and ends its span; the
   * source is the caller's peer metadata, the principals are the two SPIFFE IDs on mTLS
   * connections. Never throws.
   */
  void finish(ServerCall call) {
    try {
      String local = address(call.local);
      RequestReport report = RequestReport.builder(RequestReport.Reporter.DESTINATION,
              InboundRequest.Protocol.HTTP)
          .source(EnvoyPeerMetadata.read(call.envoyPeer, call.inboardPeer)).destination(self)
          .destinationService(destinationService).responseCode(call.status)
          .responseFlags(ResponseFlags.text(call.flags))
          .durationNanos(System.nanoTime() - call.startNanos)
          .requestBytes(call.requestBytes).responseBytes(call.responseBytes)
          .security(call.principal, call.mutualTls ? selfPrincipal : PeerIdentity.UNKNOWN_VALUE,
              call.mutualTls)
          .details(RequestDetails.builder()
              .startEpochMillis(call.startEpochMillis)
              .method(call.method).path(call.path).protocolVersion(call.protocolVersion)
              .authority(call.authority).userAgent(call.userAgent)
              .requestId(call.context.requestId()).forwardedFor(call.forwardedFor)
              .upstreamHost(local)
              .upstreamCluster(call.local == null ? "" : "inbound|" + call.local.getPort() + "||")
              .downstreamLocalAddress(local).downstreamRemoteAddress(address(call.remote))
              .requestedServerName(call.serverName)
              .routeName(INBOUND_ROUTE)
              .responseCodeDetails(call.details)
              .attempts(1)
              .headers(call.headers)
              .build())
          .build();
      call.span.end(report);
      telemetry.metrics().record(report);
    } catch (RuntimeException e) {
      log.debug("reporting an inbound request failed", e);
    }
  }

  /** A {@code Content-Length} value, or {@code -1} when absent or unreadable. */
  static long contentLength(String header) {
    try {
      return header == null ? -1 : Long.parseLong(header.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** {@code ip:port}, or {@code ""}. */
  static String address(InetSocketAddress a) {
    if (a == null) {
      return "";
    }
    String ip = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
    return ip + ":" + a.getPort();
  }

  /**
   * A refusal as an HTTP status and body.
   *
   * @param body the response body, exactly
   * @param challenge the {@code WWW-Authenticate} value to send, or {@code null}
   * @param details the report's {@code %RESPONSE_CODE_DETAILS%}
   */
  record Refusal(int status, String body, String challenge, String details) {}
}
