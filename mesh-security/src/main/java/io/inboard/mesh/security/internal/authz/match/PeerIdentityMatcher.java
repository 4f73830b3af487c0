package io.inboard.mesh.security.internal.authz.match;

import io.inboard.mesh.security.internal.authz.AuthzRequest;

/**
 * Matches a part of the peer's SPIFFE ID ({@code principals}, {@code namespaces}, {@code
 * trustDomains}, and the {@code source.*} conditions). A plaintext peer has no identity: its
 * parts are absent, so they match no value (not even {@code *}) and every {@code notX} value.
 */
public record PeerIdentityMatcher(Part part, StringMatcher[] values) implements RequestMatcher {

  /** Which part of {@code spiffe://<td>/ns/<ns>/sa/<sa>} is matched. */
  public enum Part {
    /** {@code <td>/ns/<ns>/sa/<sa>}: the ID without {@code spiffe://}, as Istio matches principals. */
    PRINCIPAL,
    TRUST_DOMAIN,
    NAMESPACE
  }

  @Override
  public boolean matches(AuthzRequest request) {
    String id = request.peerPrincipal();
    if (id == null || id.isEmpty()) {
      return false;
    }
    switch (part) {
      case PRINCIPAL:
        return StringMatcher.any(values, id, SpiffeIdRegions.principalStart(id), id.length());
      case TRUST_DOMAIN: {
        int end = SpiffeIdRegions.trustDomainEnd(id);
        return end >= 0 && StringMatcher.any(values, id, SpiffeIdRegions.principalStart(id), end);
      }
      default: {
        int start = SpiffeIdRegions.namespaceStart(id);
        return start >= 0
            && StringMatcher.any(values, id, start, SpiffeIdRegions.namespaceEnd(id, start));
      }
    }
  }
}
