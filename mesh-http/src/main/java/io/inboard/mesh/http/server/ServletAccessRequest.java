package io.inboard.mesh.http.server;

import io.inboard.mesh.security.internal.inbound.BaseAccessRequest;
import io.inboard.mesh.security.internal.inbound.RequestParts;
import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.util.Enumeration;
import javax.net.ssl.SSLSession;

/** A Servlet request as the access check reads it. */
final class ServletAccessRequest extends BaseAccessRequest {
  /** Where Jetty puts the connection's SSLSession. */
  private static final String SSL_SESSION = "org.eclipse.jetty.servlet.request.ssl_session";

  private final HttpServletRequest request;

  ServletAccessRequest(HttpServletRequest request, String peerPrincipal) {
    super(peerPrincipal);
    this.request = request;
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
  public String host() {
    return InboundHttp.authority(request::getHeader);
  }

  @Override
  public int destinationPort() {
    return request.getLocalPort();
  }

  @Override
  public InetAddress destinationIp() {
    return RequestParts.ipLiteral(request.getLocalAddr());
  }

  @Override
  public InetAddress sourceIp() {
    return RequestParts.ipLiteral(request.getRemoteAddr());
  }

  @Override
  public String header(String lowerCaseName) {
    Enumeration<String> values = request.getHeaders(lowerCaseName);
    return values == null ? null : RequestParts.joined(values.asIterator());
  }

  @Override
  public String sni() {
    return RequestParts.sni(
        request.getAttribute(SSL_SESSION) instanceof SSLSession tls ? tls : null);
  }

  @Override
  public String queryParameter(String name) {
    return RequestParts.queryParameter(request.getQueryString(), name);
  }

}
