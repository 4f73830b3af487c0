package io.inboard.mesh.security.internal.jwt;

import java.util.List;
import java.util.Set;

/**
 * One compiled {@code jwtRules[]} entry.
 *
 * @param source {@code namespace/name jwtRules[i]}, for diagnostics
 * @param issuer the {@code iss} a token must carry
 * @param audiences {@code aud} values of which a token must carry one; empty: no audience check
 * @param keys the issuer's keys, or {@code null} when only a {@code jwksUri} was given and the
 *     control plane delivered no key set: every token is then rejected
 * @param locations where to look for a token, in order
 * @param forwardOriginalToken whether the token's header stays on the request
 * @param payloadHeader header (lower case) to get the payload segment, or {@code null}
 * @param claimHeaders headers to set from claims
 * @param spaceDelimitedClaims claims split on spaces, {@code scope} and {@code permission}
 *     included
 */
record JwtRule(String source, String issuer, List<String> audiences, VerificationKeys keys,
    List<TokenLocation> locations, boolean forwardOriginalToken, String payloadHeader,
    List<ClaimHeader> claimHeaders, Set<String> spaceDelimitedClaims) {

  /** {@code Authorization: Bearer <token>}, then {@code ?access_token=}, as Istio defaults. */
  static final List<TokenLocation> DEFAULT_LOCATIONS = List.of(
      new TokenLocation.Header("authorization", "Bearer "),
      new TokenLocation.Param("access_token"));

  JwtRule {
    audiences = List.copyOf(audiences);
    locations = List.copyOf(locations);
    claimHeaders = List.copyOf(claimHeaders);
    spaceDelimitedClaims = Set.copyOf(spaceDelimitedClaims);
  }

  /**
   * Header {@code header} (lower case) gets the claim at {@code path} (nested objects by
   * {@code .}).
   */
  record ClaimHeader(String header, List<String> path) {
    ClaimHeader {
      path = List.copyOf(path);
    }
  }
}
