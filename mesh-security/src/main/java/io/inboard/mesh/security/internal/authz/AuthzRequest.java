package io.inboard.mesh.security.internal.authz;

import java.net.InetAddress;

/**
 * What an authorization decision reads of one inbound request, whichever plane received it.
 * Implementations are cheap views over the server's own request; the {@link Authorizer} reads
 * only the attributes its compiled rules need.
 */
public interface AuthzRequest {

  /** The HTTP method; always {@code POST} for gRPC. */
  String method();

  /** The path without the query, as received; for gRPC {@code /package.Service/Method}. */
  String path();

  /** The {@code Host} or {@code :authority} as received (possibly with a port); {@code ""} when absent. */
  String host();

  /** The local port the request arrived on, or {@code -1} when unknown. */
  int destinationPort();

  /** The local address the request arrived on, or {@code null} when unknown. */
  InetAddress destinationIp();

  /** The peer's address (the connection's remote end), or {@code null} when unknown. */
  InetAddress sourceIp();

  /**
   * Every value of header {@code lowerCaseName} joined by {@code ","}, as Envoy matches them, or
   * {@code null} when absent. Names are passed in lower case.
   */
  String header(String lowerCaseName);

  /**
   * The caller's SPIFFE ID from its verified client certificate, as a URI ({@code
   * spiffe://cluster.local/ns/default/sa/bookinfo-productpage}), or {@code ""} on a plaintext
   * connection.
   */
  String peerPrincipal();

  /** The TLS SNI the caller sent, or {@code ""}. */
  String sni();

  /** The request's verified JWT identity, or {@code null} when it carried no valid token. */
  RequestAuth requestAuth();
}
