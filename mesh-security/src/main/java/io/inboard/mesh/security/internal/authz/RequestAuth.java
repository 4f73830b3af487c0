package io.inboard.mesh.security.internal.authz;

import java.util.List;
import java.util.Map;

/**
 * The identity a verified JWT gives a request, as Istio's {@code request.auth.*} attributes
 * read it.
 *
 * @param principal {@code <iss>/<sub>}, Istio's request principal
 * @param issuer the {@code iss} claim
 * @param subject the {@code sub} claim, {@code ""} when absent
 * @param audiences the {@code aud} claim as a list (empty when absent)
 * @param presenter the {@code azp} claim, {@code ""} when absent
 * @param claims every claim of the payload as JSON values: {@link String}, {@link Number},
 *     {@link Boolean}, {@link List}, {@link Map} (nested objects); the space-delimited claims
 *     {@code scope} and {@code permission} (and any a rule names in {@code
 *     spaceDelimitedClaims}) are already split into lists
 */
public record RequestAuth(String principal, String issuer, String subject,
    List<String> audiences, String presenter, Map<String, Object> claims) {
  public RequestAuth {
    audiences = List.copyOf(audiences);
    claims = Map.copyOf(claims);
  }
}
