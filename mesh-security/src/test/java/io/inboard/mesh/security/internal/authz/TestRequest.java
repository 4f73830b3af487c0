package io.inboard.mesh.security.internal.authz;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A request for authorization tests: by default a GET of {@code /} on {@code example.com:8080}
 * from {@code spiffe://cluster.local/ns/default/sa/client} at 10.0.0.1, without a JWT.
 */
record TestRequest(String method, String path, String host, int destinationPort,
    InetAddress destinationIp, InetAddress sourceIp, Map<String, String> headers,
    String peerPrincipal, String sni, RequestAuth requestAuth) implements AuthzRequest {

  static TestRequest request() {
    return new TestRequest("GET", "/", "example.com", 8080, ip("10.0.0.2"), ip("10.0.0.1"),
        Map.of(), "spiffe://cluster.local/ns/default/sa/client", "", null);
  }

  static TestRequest path(String path) {
    return request().withPath(path);
  }

  static TestRequest peer(String spiffeId) {
    return request().withPeer(spiffeId);
  }

  static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(literal, e);
    }
  }

  static RequestAuth jwt(String issuer, String subject, Map<String, Object> claims) {
    @SuppressWarnings("unchecked")
    List<String> audiences = claims.get("aud") instanceof List<?> aud ? (List<String>) aud : List.of();
    return new RequestAuth(issuer + "/" + subject, issuer, subject, audiences,
        (String) claims.getOrDefault("azp", ""), claims);
  }

  @Override
  public String header(String lowerCaseName) {
    return headers.get(lowerCaseName);
  }

  TestRequest withMethod(String m) {
    return new TestRequest(m, path, host, destinationPort, destinationIp, sourceIp, headers, peerPrincipal, sni, requestAuth);
  }

  TestRequest withPath(String p) {
    return new TestRequest(method, p, host, destinationPort, destinationIp, sourceIp, headers, peerPrincipal, sni, requestAuth);
  }

  TestRequest withHost(String h) {
    return new TestRequest(method, path, h, destinationPort, destinationIp, sourceIp, headers, peerPrincipal, sni, requestAuth);
  }

  TestRequest withPort(int port) {
    return new TestRequest(method, path, host, port, destinationIp, sourceIp, headers, peerPrincipal, sni, requestAuth);
  }

  TestRequest withDestinationIp(String ip) {
    return new TestRequest(method, path, host, destinationPort, ip(ip), sourceIp, headers, peerPrincipal, sni, requestAuth);
  }

  TestRequest withSourceIp(String ip) {
    return new TestRequest(method, path, host, destinationPort, destinationIp, ip(ip), headers, peerPrincipal, sni, requestAuth);
  }

  TestRequest withHeader(String name, String value) {
    Map<String, String> h = new HashMap<>(headers);
    h.put(name, value);
    return new TestRequest(method, path, host, destinationPort, destinationIp, sourceIp, Map.copyOf(h), peerPrincipal, sni, requestAuth);
  }

  TestRequest withPeer(String id) {
    return new TestRequest(method, path, host, destinationPort, destinationIp, sourceIp, headers, id, sni, requestAuth);
  }

  TestRequest plaintext() {
    return withPeer("");
  }

  TestRequest withSni(String s) {
    return new TestRequest(method, path, host, destinationPort, destinationIp, sourceIp, headers, peerPrincipal, s, requestAuth);
  }

  TestRequest withJwt(RequestAuth auth) {
    return new TestRequest(method, path, host, destinationPort, destinationIp, sourceIp, headers, peerPrincipal, sni, auth);
  }
}
