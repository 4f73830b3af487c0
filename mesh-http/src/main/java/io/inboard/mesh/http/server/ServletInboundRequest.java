package io.inboard.mesh.http.server;

import io.inboard.mesh.api.inbound.InboundRequest;
import io.inboard.mesh.api.inbound.InboundRequest.Protocol;
import jakarta.servlet.http.HttpServletRequest;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;

/** A Servlet request as an {@link io.inboard.mesh.api.inbound.InboundGuard} sees it. */
record ServletInboundRequest(HttpServletRequest request) implements InboundRequest {

  /** Where every Servlet container puts the client's TLS certificate chain. */
  private static final String CERTIFICATES = "jakarta.servlet.request.X509Certificate";

  @Override
  public Protocol protocol() {
    return Protocol.HTTP;
  }

  @Override
  public String method() {
    return request.getMethod();
  }

  @Override
  public String path() {
    return request.getRequestURI();
  }

  @Override
  public String authority() {
    return InboundHttp.authority(request::getHeader);
  }

  @Override
  public String header(String name) {
    return request.getHeader(name);
  }

  @Override
  public InetSocketAddress remoteAddress() {
    return InetSocketAddress.createUnresolved(request.getRemoteAddr(), request.getRemotePort());
  }

  @Override
  public List<X509Certificate> peerCertificates() {
    return request.getAttribute(CERTIFICATES) instanceof X509Certificate[] chain
        ? List.of(chain) : List.of();
  }
}
