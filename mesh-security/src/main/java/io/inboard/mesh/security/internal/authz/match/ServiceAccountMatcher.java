package io.inboard.mesh.security.internal.authz.match;

import io.inboard.mesh.security.internal.authz.AuthzRequest;

/**
 * Matches the peer's namespace and service account ({@code serviceAccounts}, {@code
 * source.serviceAccount}) against exact pairs, comparing the two parts of the SPIFFE ID in place.
 */
public record ServiceAccountMatcher(String[] namespaces, String[] accounts) implements RequestMatcher {

  @Override
  public boolean matches(AuthzRequest request) {
    String id = request.peerPrincipal();
    if (id == null || id.isEmpty()) {
      return false;
    }
    int nsStart = SpiffeIdRegions.namespaceStart(id);
    if (nsStart < 0) {
      return false;
    }
    int nsEnd = SpiffeIdRegions.namespaceEnd(id, nsStart);
    int saEnd = SpiffeIdRegions.serviceAccountEnd(id, nsEnd);
    if (saEnd < 0) {
      return false;
    }
    int saStart = nsEnd + 4;
    for (int i = 0; i < namespaces.length; i++) {
      String ns = namespaces[i];
      String sa = accounts[i];
      if (ns.length() == nsEnd - nsStart && sa.length() == saEnd - saStart
          && id.startsWith(ns, nsStart) && id.startsWith(sa, saStart)) {
        return true;
      }
    }
    return false;
  }
}
