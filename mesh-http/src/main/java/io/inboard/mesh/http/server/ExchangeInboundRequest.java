package io.inboard.mesh.http.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsExchange;
import io.inboard.mesh.api.inbound.InboundRequest;
import io.inboard.mesh.api.inbound.InboundRequest.Protocol;
import java.net.InetSocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLPeerUnverifiedException;

/** A JDK {@code HttpServer} exchange as an {@link io.inboard.mesh.api.inbound.InboundGuard} sees it. */
record ExchangeInboundRequest(HttpExchange exchange) implements InboundRequest {

  @Override
  public Protocol protocol() {
    return Protocol.HTTP;
  }

  @Override
  public String method() {
    return exchange.getRequestMethod();
  }

  @Override
  public String path() {
    return exchange.getRequestURI().getRawPath();
  }

  @Override
  public String authority() {
    return InboundHttp.authority(exchange.getRequestHeaders()::getFirst);
  }

  @Override
  public String header(String name) {
    return exchange.getRequestHeaders().getFirst(name);
  }

  @Override
  public InetSocketAddress remoteAddress() {
    return exchange.getRemoteAddress();
  }

  @Override
  public List<X509Certificate> peerCertificates() {
    if (!(exchange instanceof HttpsExchange https)) {
      return List.of();
    }
    try {
      List<X509Certificate> chain = new ArrayList<>();
      for (Certificate c : https.getSSLSession().getPeerCertificates()) {
        if (c instanceof X509Certificate x) {
          chain.add(x);
        }
      }
      return chain;
    } catch (SSLPeerUnverifiedException noClientCertificate) {
      return List.of();
    }
  }
}
