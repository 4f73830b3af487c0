package io.inboard.benchmarks.access;

import io.inboard.mesh.security.internal.authz.RequestAuth;
import io.inboard.mesh.security.internal.inbound.AccessRequest;
import java.net.InetAddress;
import java.util.Map;

/**
 * A request as a server's adapter presents it to the access check: fixed attributes, headers
 * from a map, as cheap as the real adapters' reads.
 */
final class BenchRequest implements AccessRequest {
  private final String path;
  private final String principal;
  private final Map<String, String> headers;
  private final InetAddress source;
  private RequestAuth auth;

  BenchRequest(String path, String principal, Map<String, String> headers, InetAddress source) {
    this.path = path;
    this.principal = principal;
    this.headers = headers;
    this.source = source;
  }

  @Override public String method() { return "POST"; }
  @Override public String path() { return path; }
  @Override public String host() { return "svc.default.svc.cluster.local:9080"; }
  @Override public int destinationPort() { return 9080; }
  @Override public InetAddress destinationIp() { return source; }
  @Override public InetAddress sourceIp() { return source; }
  @Override public String header(String lowerCaseName) { return headers.get(lowerCaseName); }
  @Override public String peerPrincipal() { return principal; }
  @Override public String sni() { return ""; }
  @Override public RequestAuth requestAuth() { return auth; }
  @Override public void requestAuth(RequestAuth a) { this.auth = a; }
  @Override public String queryParameter(String name) { return null; }
  @Override public String cookie(String name) { return null; }
}
