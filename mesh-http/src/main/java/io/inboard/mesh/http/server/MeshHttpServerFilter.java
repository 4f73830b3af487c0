package io.inboard.mesh.http.server;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.context.RequestContext;
import io.inboard.mesh.api.context.Scope;
import io.inboard.mesh.api.internal.telemetry.PeerIdentity;
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
    long start = System.nanoTime();
    var headers = exchange.getRequestHeaders();
    String source = headers.getFirst(PeerIdentity.HEADER);
    ExchangeInboundRequest inboundRequest = new ExchangeInboundRequest(exchange);
    List<X509Certificate> peer = inboundRequest.peerCertificates();
    String principal = InboundHttp.principal(peer);
    boolean mtls = !peer.isEmpty();
    RequestContext ctx = inbound.context(headers::getFirst, principal);
    exchange.getResponseHeaders().set(PeerIdentity.HEADER, inbound.selfHeader());
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
        return;
      }
      chain.doFilter(seen);
      int sent = exchange.getResponseCode();
      status = sent < 0 ? 200 : sent;
    } finally {
      inbound.report(source, status, start, contentLength(headers.getFirst("Content-Length")),
          principal, mtls);
    }
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

  private static long contentLength(String header) {
    try {
      return header == null ? -1 : Long.parseLong(header.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
