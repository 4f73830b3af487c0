package io.inboard.mesh.http.server;

import io.inboard.mesh.security.internal.authz.RequestAuth;
import io.inboard.mesh.security.internal.inbound.AccessRequest;
import io.inboard.mesh.security.internal.inbound.RequestParts;
import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.util.Collections;
import java.util.Enumeration;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;

/** A Servlet request as the access check reads it. */
final class ServletAccessRequest implements AccessRequest {
  /** Where Jetty puts the connection's SSLSession. */
  private static final String SSL_SESSION = "org.eclipse.jetty.servlet.request.ssl_session";

  private final HttpServletRequest request;
  private final String peerPrincipal;
  private RequestAuth auth;

  ServletAccessRequest(HttpServletRequest request, String peerPrincipal) {
    this.request = request;
    this.peerPrincipal = peerPrincipal;
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
    // an Inboard client's logical authority (its Host is the endpoint's address), else Host
    String forwarded = request.getHeader("x-forwarded-host");
    String host = forwarded != null ? forwarded : request.getHeader("Host");
    return host == null ? "" : host;
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
    return values == null ? null : RequestParts.joined(Collections.list(values).iterator());
  }

  @Override
  public String peerPrincipal() {
    return peerPrincipal;
  }

  @Override
  public String sni() {
    if (request.getAttribute(SSL_SESSION) instanceof ExtendedSSLSession tls) {
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
    return RequestParts.queryParameter(request.getQueryString(), name);
  }

  @Override
  public String cookie(String name) {
    return RequestParts.cookie(header("cookie"), name);
  }
}
