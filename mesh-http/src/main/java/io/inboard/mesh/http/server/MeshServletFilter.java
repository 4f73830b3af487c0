package io.inboard.mesh.http.server;

import static java.util.Objects.requireNonNull;

import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.context.RequestContext;
import io.inboard.mesh.api.context.Scope;
import io.inboard.mesh.api.internal.telemetry.EnvoyPeerMetadata;
import io.inboard.mesh.api.internal.telemetry.PeerIdentity;
import io.inboard.mesh.http.internal.telemetry.ResponseFlags;
import java.net.InetSocketAddress;
import io.inboard.mesh.security.internal.inbound.AccessVerdict;
import io.inboard.mesh.security.internal.jwt.HeaderChange;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The inbound hook for any Jakarta Servlet 6 container (Jetty 12 ee10, Tomcat 10.1+, Undertow):
 * map it first, on {@code /*}. For each request it:
 *
 * <ul>
 *   <li>makes the request's {@link RequestContext} current while the chain runs, so that
 *       outbound calls through mesh clients carry {@code x-request-id} (generated when absent),
 *       trace headers and the mesh's extra headers (such as {@code end-user}) onwards;
 *   <li>checks the request against the workload's RequestAuthentications (a token that is
 *       present must be valid, else 401; by default the token's header is removed before the
 *       application sees the request, and claims can be written to headers) and
 *       AuthorizationPolicies (Istio's order; a denial is 403 {@code RBAC: access denied}), as
 *       the control plane pushes them;
 *   <li>runs the mesh's {@link io.inboard.mesh.api.inbound.InboundGuard}s next: a refusal
 *       answers 401/403 with the guard's message and the application never sees the request;
 *   <li>on an mTLS connection, puts the caller's SPIFFE ID (from the verified client
 *       certificate, attribute {@code jakarta.servlet.request.X509Certificate}) in
 *       {@link RequestContext#peerPrincipal()} and in
 *       {@link io.inboard.mesh.api.inbound.InboundRequest#peerCertificates()}; {@code ""} and
 *       an empty list on plaintext;
 *   <li>starts the request's SERVER span (named after the method) before any check, so refused
 *       requests are traced too; the span's context is the one made current, so outbound calls
 *       continue its trace;
 *   <li>answers with this workload's peer metadata ({@code x-inboard-peer}, and Istio's
 *       {@code x-envoy-peer-metadata} / {@code -id}) and reports the request as
 *       {@code istio_requests_total{reporter="destination",request_protocol="http"}}, with the
 *       caller's identity from its peer metadata, the request's {@code Content-Length} as
 *       {@code istio_request_bytes} and the body bytes the application wrote (stream or writer)
 *       as {@code istio_response_bytes}; {@code source_principal} and
 *       {@code destination_principal} are the two SPIFFE IDs on mTLS connections, and
 *       {@code connection_security_policy} is {@code mutual_tls} or {@code none}. A write that
 *       fails because the caller went away is reported with flag {@code DC}.
 * </ul>
 *
 * <p>A request put in async mode is reported when it completes. Its context is current only on
 * the container thread: hand work to other threads with
 * {@link io.inboard.mesh.api.context.ContextExecutors}.
 *
 * <pre>{@code
 * ServletContextHandler app = new ServletContextHandler();
 * app.addFilter(new FilterHolder(MeshServletFilter.of(mesh)), "/*",
 *     EnumSet.of(DispatcherType.REQUEST));
 * }</pre>
 *
 * <p>Chosen over a Jetty-only {@code Handler.Wrapper} because one filter then serves every
 * Servlet container, and Jetty 12 runs it natively through its ee10 environment.
 */
public final class MeshServletFilter implements Filter {

  private final InboundHttp inbound;

  private MeshServletFilter(Mesh mesh) {
    this.inbound = new InboundHttp(mesh);
  }

  /** The hook for {@code mesh}'s workload. */
  public static MeshServletFilter of(Mesh mesh) {
    return new MeshServletFilter(requireNonNull(mesh, "mesh"));
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    if (!(req instanceof HttpServletRequest request)
        || !(res instanceof HttpServletResponse response)) {
      chain.doFilter(req, res);
      return;
    }
    ServletInboundRequest inboundRequest = new ServletInboundRequest(request);
    List<X509Certificate> peer = inboundRequest.peerCertificates();
    String principal = InboundHttp.principal(peer);
    RequestContext ctx = inbound.context(request::getHeader, principal);
    ServerCall call = inbound.begin(request.getMethod(), ctx);
    inbound.answerPeerHeaders(response::setHeader);
    HttpServletRequest reading = request;
    HttpServletResponse answering = response;
    CountingServletResponse counting = null;
    if (call != null) {
      ctx = call.context;
      describe(call, request, principal, !peer.isEmpty());
      counting = new CountingServletResponse(response);
      answering = counting;
      if (call.requestBytes < 0) {
        // no Content-Length: the body is counted as the application reads it
        CountingServletRequest countingRequest = new CountingServletRequest(request);
        call.requestBody = countingRequest;
        reading = countingRequest;
      }
    }
    boolean async = false;
    try (Scope s = ctx.makeCurrent()) {
      HttpServletRequest seen = reading;
      if (inbound.accessActive()) {
        AccessVerdict verdict = inbound.checkAccess(new ServletAccessRequest(request, principal));
        if (verdict instanceof AccessVerdict.Deny deny) {
          refuse(answering, InboundHttp.refusal(deny), call);
          return;
        }
        List<HeaderChange> changes = ((AccessVerdict.Allow) verdict).changes();
        if (!changes.isEmpty()) {
          seen = new EditedHeadersRequest(reading, changes);
          inboundRequest = new ServletInboundRequest(seen);
        }
      }
      InboundHttp.Refusal refusal = inbound.check(inboundRequest);
      if (refusal != null) {
        refuse(answering, refusal, call);
        return;
      }
      chain.doFilter(seen, answering);
      if (request.isAsyncStarted() && call != null) {
        async = true;
        request.getAsyncContext().addListener(new ReportOnComplete(call, counting));
      }
    } catch (IOException e) {
      // writing failed: the caller went away (Envoy's DC), with the status sent if any
      if (call != null) {
        call.status = response.isCommitted() ? response.getStatus() : 0;
        call.flags |= ResponseFlags.DC;
        call.details = InboundHttp.DOWNSTREAM_DISCONNECT;
        finish(call, counting);
        async = true; // reported
      }
      throw e;
    } catch (ServletException | RuntimeException e) {
      if (call != null) {
        call.status = 500;
        finish(call, counting);
        async = true; // reported
      }
      throw e;
    } finally {
      if (!async && call != null) {
        if (call.status == 0) {
          call.status = response.getStatus();
        }
        finish(call, counting);
      }
    }
  }

  private void describe(ServerCall call, HttpServletRequest request, String principal,
      boolean mtls) {
    call.principal = principal;
    call.mutualTls = mtls;
    call.envoyPeer = request.getHeader(EnvoyPeerMetadata.HEADER);
    call.inboardPeer = request.getHeader(PeerIdentity.HEADER);
    call.method = request.getMethod();
    String query = request.getQueryString();
    call.path = query == null ? request.getRequestURI() : request.getRequestURI() + "?" + query;
    call.protocolVersion = request.getProtocol();
    call.authority = InboundHttp.authority(request::getHeader);
    call.userAgent = orEmpty(request.getHeader("User-Agent"));
    call.forwardedFor = orEmpty(request.getHeader("X-Forwarded-For"));
    call.local = InetSocketAddress.createUnresolved(request.getLocalAddr(), request.getLocalPort());
    call.remote = InetSocketAddress.createUnresolved(request.getRemoteAddr(),
        request.getRemotePort());
    call.headers = inbound.captured(request::getHeader);
    call.requestBytes = request.getContentLengthLong();
    // the SNI is not in the Servlet API (Jetty keeps it in its own SslSessionData): left unknown
  }

  private void finish(ServerCall call, CountingServletResponse counting) {
    call.responseBytes = counting.count();
    if (call.responseBytes == 0 && !call.method.equals("HEAD")) {
      // written around the count (an async request completed through the unwrapped
      // response): its declared length is the best left
      call.responseBytes = Math.max(0, InboundHttp.contentLength(
          counting.getHeader("Content-Length")));
    }
    if (call.requestBody instanceof CountingServletRequest r) {
      call.requestBytes = r.count();
    }
    inbound.finish(call);
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }

  private static void refuse(HttpServletResponse response, InboundHttp.Refusal refusal,
      ServerCall call) throws IOException {
    if (call != null) {
      call.refused(refusal.status(), refusal.details());
    }
    refuse(response, refusal);
  }

  private static void refuse(HttpServletResponse response, InboundHttp.Refusal refusal)
      throws IOException {
    byte[] body = refusal.body().getBytes(StandardCharsets.UTF_8);
    response.setStatus(refusal.status());
    if (refusal.challenge() != null) {
      response.setHeader("WWW-Authenticate", refusal.challenge());
    }
    response.setContentType("text/plain; charset=utf-8");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  /** Reports an async request when the container completes it. */
  private final class ReportOnComplete implements AsyncListener {
    private final ServerCall call;
    private final CountingServletResponse counting;

    ReportOnComplete(ServerCall call, CountingServletResponse counting) {
      this.call = call;
      this.counting = counting;
    }

    @Override
    public void onComplete(AsyncEvent event) {
      call.status = event.getSuppliedResponse() instanceof HttpServletResponse r
          ? r.getStatus() : 200;
      finish(call, counting);
    }

    @Override
    public void onTimeout(AsyncEvent event) {
      // onComplete follows and reports the status the container chose.
    }

    @Override
    public void onError(AsyncEvent event) {
      // onComplete follows and reports the status the container chose.
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
      event.getAsyncContext().addListener(this);
    }
  }
}
