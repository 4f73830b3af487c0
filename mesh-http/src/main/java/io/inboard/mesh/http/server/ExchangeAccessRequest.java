package io.inboard.mesh.http.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsExchange;
import io.inboard.mesh.security.internal.inbound.BaseAccessRequest;
import io.inboard.mesh.security.internal.inbound.RequestParts;
import java.net.InetAddress;
import java.util.List;

/** An exchange of the JDK's HTTP server as the access check reads it. */
final class ExchangeAccessRequest extends BaseAccessRequest {
  private final HttpExchange exchange;

  ExchangeAccessRequest(HttpExchange exchange, String peerPrincipal) {
    super(peerPrincipal);
    this.exchange = exchange;
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
    return InboundHttp.authority(exchange.getRequestHeaders()::getFirst);
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
  public String sni() {
    return exchange instanceof HttpsExchange https ? RequestParts.sni(https.getSSLSession()) : "";
  }

  @Override
  public String queryParameter(String name) {
    return RequestParts.queryParameter(exchange.getRequestURI().getRawQuery(), name);
  }

}
