package io.inboard.mesh.http.server;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.context.RequestContext;
import io.inboard.mesh.api.context.Scope;
import com.sun.net.httpserver.HttpsExchange;
import io.inboard.mesh.api.internal.telemetry.EnvoyPeerMetadata;
import io.inboard.mesh.api.internal.telemetry.PeerIdentity;
import io.inboard.mesh.http.internal.telemetry.ResponseFlags;
import java.net.URI;
import javax.net.ssl.ExtendedSSLSession;
import io.inboard.mesh.security.internal.inbound.AccessVerdict;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The inbound hook for the JDK's built-in {@code com.sun.net.httpserver.HttpServer}: the same
 * context, RequestAuthentication and AuthorizationPolicy checks, guards, peer header and
 * {@code reporter="destination"} telemetry as
 * {@link MeshServletFilter}. Add it to each context:
 *
 * <pre>{@code
 * HttpContext ctx = server.createContext("/", handler);
 * ctx.getFilters().add(MeshHttpServerFilter.of(mesh));
 * }</pre>
 *
 * <p>On an {@code HttpsServer} (see {@link MeshHttpServers}) the caller's SPIFFE ID from its
 * client certificate is in {@link RequestContext#peerPrincipal()} and the telemetry's
 * {@code source_principal}, with {@code connection_security_policy="mutual_tls"}.
 *
 * <p>Telemetry as in {@link MeshServletFilter}: a SERVER span started before the checks, whose
 * context is current while the handler runs, and one report per request with both body sizes
 * counted as they pass (the filter wraps the exchange's streams), flag {@code DC} when a write
 * fails because the caller went away.
 *
 * <p>The handler must send its response before returning (the usual style for this server):
 * the status it sent is what gets reported, or 200 if it sent none.
 */
public final class MeshHttpServerFilter extends Filter {

  private final InboundHttp inbound;

  private MeshHttpServerFilter(Mesh mesh) {
    this.inbound = new InboundHttp(mesh);
  }

  /** The hook for {@code mesh}'s workload. */
  public static MeshHttpServerFilter of(Mesh mesh) {
    return new MeshHttpServerFilter(requireNonNull(mesh, "mesh"));
  }

  @Override
  public String description() {
    return "Inboard inbound hook: request context, inbound guards, Istio metrics";
  }

  @Override
  public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
    var headers = exchange.getRequestHeaders();
    ExchangeInboundRequest inboundRequest = new ExchangeInboundRequest(exchange);
    List<X509Certificate> peer = inboundRequest.peerCertificates();
    String principal = InboundHttp.principal(peer);
    RequestContext ctx = inbound.context(headers::getFirst, principal);
    ServerCall call = inbound.begin(exchange.getRequestMethod(), ctx);
    inbound.answerPeerHeaders(exchange.getResponseHeaders()::set);
    CountingStreams.In in = null;
    CountingStreams.Out out = null;
    if (call != null) {
      ctx = call.context;
      describe(call, exchange, principal, !peer.isEmpty());
      in = new CountingStreams.In(exchange.getRequestBody());
      out = new CountingStreams.Out(exchange.getResponseBody());
      exchange.setStreams(in, out);
    }
    int status = 500;
    try (Scope s = ctx.makeCurrent()) {
      HttpExchange seen = exchange;
      if (inbound.accessActive()) {
        AccessVerdict verdict =
            inbound.checkAccess(new ExchangeAccessRequest(exchange, principal));
        if (verdict instanceof AccessVerdict.Deny deny) {
          InboundHttp.Refusal refusal = InboundHttp.refusal(deny);
          refuse(exchange, refusal);
          status = refusal.status();
          if (call != null) {
            call.details = refusal.details();
          }
          return;
        }
        seen = EditedHeadersExchange.of(exchange, ((AccessVerdict.Allow) verdict).changes());
        if (seen != exchange) {
          inboundRequest = new ExchangeInboundRequest(seen);
        }
      }
      InboundHttp.Refusal refusal = inbound.check(inboundRequest);
      if (refusal != null) {
        refuse(exchange, refusal);
        status = refusal.status();
        if (call != null) {
          call.details = refusal.details();
        }
        return;
      }
      chain.doFilter(seen);
      int sent = exchange.getResponseCode();
      status = sent < 0 ? 200 : sent;
    } catch (IOException e) {
      // the handler failed writing: the caller went away (Envoy's DC); status as sent, if any
      if (call != null) {
        int sent = exchange.getResponseCode();
        status = sent < 0 ? 0 : sent;
        call.flags |= ResponseFlags.DC;
        call.details = InboundHttp.DOWNSTREAM_DISCONNECT;
      }
      throw e;
    } finally {
      if (call != null) {
        call.status = status;
        if (call.requestBytes < 0) {
          call.requestBytes = in.count;
        }
        call.responseBytes = out.count;
        inbound.finish(call);
      }
    }
  }

  private void describe(ServerCall call, HttpExchange exchange, String principal, boolean mtls) {
    var headers = exchange.getRequestHeaders();
    call.principal = principal;
    call.mutualTls = mtls;
    call.envoyPeer = headers.getFirst(EnvoyPeerMetadata.HEADER);
    call.inboardPeer = headers.getFirst(PeerIdentity.HEADER);
    call.method = exchange.getRequestMethod();
    URI uri = exchange.getRequestURI();
    call.path = uri.getRawQuery() == null ? uri.getRawPath()
        : uri.getRawPath() + "?" + uri.getRawQuery();
    call.protocolVersion = exchange.getProtocol();
    call.authority = InboundHttp.authority(headers::getFirst);
    call.userAgent = orEmpty(headers.getFirst("User-Agent"));
    call.forwardedFor = orEmpty(headers.getFirst("X-Forwarded-For"));
    call.local = exchange.getLocalAddress();
    call.remote = exchange.getRemoteAddress();
    if (exchange instanceof HttpsExchange https
        && https.getSSLSession() instanceof ExtendedSSLSession tls) {
      call.serverName = InboundHttp.serverName(tls);
    }
    call.headers = inbound.captured(headers::getFirst);
    call.requestBytes = InboundHttp.contentLength(headers.getFirst("Content-Length"));
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }

  private static void refuse(HttpExchange exchange, InboundHttp.Refusal refusal)
      throws IOException {
    byte[] body = refusal.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    if (refusal.challenge() != null) {
      exchange.getResponseHeaders().set("WWW-Authenticate", refusal.challenge());
    }
    exchange.sendResponseHeaders(refusal.status(), body.length);
    try (OutputStream os = exchange.getResponseBody()) {
      os.write(body);
    }
  }
}
