package io.inboard.mesh.http.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsExchange;
import io.inboard.mesh.security.internal.authz.RequestAuth;
import io.inboard.mesh.security.internal.inbound.AccessRequest;
import io.inboard.mesh.security.internal.inbound.RequestParts;
import java.net.InetAddress;
import java.util.List;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;

/** An exchange of the JDK's HTTP server as the access check reads it. */
final class ExchangeAccessRequest implements AccessRequest {
  private final HttpExchange exchange;
  private final String peerPrincipal;
  private RequestAuth auth;

  ExchangeAccessRequest(HttpExchange exchange, String peerPrincipal) {
    this.exchange = exchange;
    this.peerPrincipal = peerPrincipal;
  }

  @Override
  public String method() {
    return exchange.getRequestMethod();
  }

  @Override
  public String path() {
    String p = exchange.getRequestURI().getRawPath();
    return p == null ? "" : p;
  }

  @Override
  public String host() {
    // an Inboard client's logical authority (its Host is the endpoint's address), else Host
    String forwarded = exchange.getRequestHeaders().getFirst("x-forwarded-host");
    String host = forwarded != null ? forwarded : exchange.getRequestHeaders().getFirst("Host");
    return host == null ? "" : host;
  }

  @Override
  public int destinationPort() {
    return RequestParts.port(exchange.getLocalAddress());
  }

  @Override
  public InetAddress destinationIp() {
    return RequestParts.ip(exchange.getLocalAddress());
  }

  @Override
  public InetAddress sourceIp() {
    return RequestParts.ip(exchange.getRemoteAddress());
  }

  @Override
  public String header(String lowerCaseName) {
    List<String> values = exchange.getRequestHeaders().get(lowerCaseName);
    return values == null ? null : RequestParts.joined(values.iterator());
  }

  @Override
  public String peerPrincipal() {
    return peerPrincipal;
  }

  @Override
  public String sni() {
    if (exchange instanceof HttpsExchange https
        && https.getSSLSession() instanceof ExtendedSSLSession tls) {
      for (SNIServerName n : tls.getRequestedServerNames()) {
        if (n instanceof SNIHostName h) {
          return h.getAsciiName();
        }
      }
    }
    return "";
  }

  @Override
  public RequestAuth requestAuth() {
    return auth;
  }

  @Override
  public void requestAuth(RequestAuth auth) {
    this.auth = auth;
  }

  @Override
  public String queryParameter(String name) {
    return RequestParts.queryParameter(exchange.getRequestURI().getRawQuery(), name);
  }

  @Override
  public String cookie(String name) {
    return RequestParts.cookie(header("cookie"), name);
  }
}
