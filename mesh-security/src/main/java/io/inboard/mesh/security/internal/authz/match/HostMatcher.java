package io.inboard.mesh.security.internal.authz.match;

import io.inboard.mesh.security.internal.authz.AuthzRequest;

/**
 * Matches the {@code Host}/{@code :authority} case-insensitively, with and without its {@code
 * :port} suffix, so that {@code hosts: [example.com]} matches {@code example.com:8080} as Istio's
 * generated header matcher does.
 */
public record HostMatcher(StringMatcher[] values) implements RequestMatcher {

  @Override
  public boolean matches(AuthzRequest request) {
    String host = request.host();
    if (host == null || host.isEmpty()) {
      return false;
    }
    if (StringMatcher.any(values, host, 0, host.length())) {
      return true;
    }
    int portStart = portStart(host);
    return portStart > 0 && StringMatcher.any(values, host, 0, portStart);
  }

  /** The index of the {@code :} before a port, or -1 ({@code [::1]} and bare IPv6 have none). */
  private static int portStart(String host) {
    int colon = host.lastIndexOf(':');
    if (colon < 0 || colon == host.length() - 1) {
      return -1;
    }
    for (int i = colon + 1; i < host.length(); i++) {
      char c = host.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
    }
    boolean bracketed = host.charAt(0) == '[';
    if (bracketed ? host.charAt(colon - 1) != ']' : host.indexOf(':') != colon) {
      return -1;
    }
    return colon;
  }
}
