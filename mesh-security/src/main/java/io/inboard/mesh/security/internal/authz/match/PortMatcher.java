package io.inboard.mesh.security.internal.authz.match;

import io.inboard.mesh.security.internal.authz.AuthzRequest;

/** Matches the local port the request arrived on ({@code ports}, {@code destination.port}). */
public record PortMatcher(int[] ports) implements RequestMatcher {

  @Override
  public boolean matches(AuthzRequest request) {
    int port = request.destinationPort();
    for (int p : ports) {
      if (p == port) {
        return true;
      }
    }
    return false;
  }
}
