package io.inboard.mesh.security.internal.jwt;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.inboard.mesh.security.internal.authz.RequestAuth;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks one parsed token against the rules of its issuer at the location it was found, in
 * Envoy's order: time (with {@value #CLOCK_SKEW_SECONDS} s of skew either way, Envoy's default
 * {@code clock_skew_seconds}), audiences, key availability, signature. With several rules for
 * the issuer, the first that accepts the token decides its header changes; if none does, the
 * first rule's reason is given.
 */
final class TokenVerifier {
  static final long CLOCK_SKEW_SECONDS = 60;

  static final JwtOutcome.Rejected EXPIRED = new JwtOutcome.Rejected("Jwt is expired");
  static final JwtOutcome.Rejected NOT_YET_VALID = new JwtOutcome.Rejected("Jwt not yet valid");
  static final JwtOutcome.Rejected AUDIENCE_NOT_ALLOWED = new JwtOutcome.Rejected("Audiences in Jwt are not allowed");
  static final JwtOutcome.Rejected KEYS_UNAVAILABLE = new JwtOutcome.Rejected("Jwks remote fetch is failed");
  static final JwtOutcome.Rejected VERIFICATION_FAILS = new JwtOutcome.Rejected("Jwt verification fails");
  static final JwtOutcome.Rejected UNKNOWN_ISSUER = new JwtOutcome.Rejected("Jwt issuer is not configured");

  private TokenVerifier() {}

  /** The outcome for {@code jwt} (with {@code claims}) at {@code location} at {@code nowMillis}. */
  static JwtOutcome verify(SignedJWT jwt, JWTClaimsSet claims, List<JwtRule> rules,
      TokenLocation location, long nowMillis) {
    JwtOutcome.Rejected timeProblem = timeProblem(claims, nowMillis);
    if (timeProblem != null) {
      return timeProblem;
    }
    JwtOutcome.Rejected firstRejection = null;
    for (JwtRule rule : rules) {
      JwtOutcome.Rejected rejection = reject(jwt, claims, rule);
      if (rejection == null) {
        return accepted(jwt, claims, rule, location);
      }
      firstRejection = firstRejection == null ? rejection : firstRejection;
    }
    return firstRejection;
  }

  /**
   * Until when (epoch millis) a verified token stays valid: its {@code exp} plus the skew, or
   * {@link Long#MAX_VALUE} without {@code exp} (Envoy does not require one).
   */
  static long validUntilMillis(JWTClaimsSet claims) {
    Date exp = claims.getExpirationTime();
    return exp == null ? Long.MAX_VALUE : exp.getTime() + CLOCK_SKEW_SECONDS * 1000;
  }

  private static JwtOutcome.Rejected timeProblem(JWTClaimsSet claims, long nowMillis) {
    if (nowMillis > validUntilMillis(claims)) {
      return EXPIRED;
    }
    Date nbf = claims.getNotBeforeTime();
    if (nbf != null && nowMillis + CLOCK_SKEW_SECONDS * 1000 < nbf.getTime()) {
      return NOT_YET_VALID;
    }
    return null;
  }

  private static JwtOutcome.Rejected reject(SignedJWT jwt, JWTClaimsSet claims, JwtRule rule) {
    if (!rule.audiences().isEmpty()
        && rule.audiences().stream().noneMatch(claims.getAudience()::contains)) {
      return AUDIENCE_NOT_ALLOWED;
    }
    if (rule.keys() == null) {
      return KEYS_UNAVAILABLE;
    }
    return rule.keys().verify(jwt) ? null : VERIFICATION_FAILS;
  }

  private static JwtOutcome.Authenticated accepted(SignedJWT jwt, JWTClaimsSet claimsSet,
      JwtRule rule, TokenLocation location) {
    @SuppressWarnings("unchecked")
    Map<String, Object> original = (Map<String, Object>) ClaimValues.plain(claimsSet.toJSONObject());
    Map<String, Object> claims = new LinkedHashMap<>(original);
    for (String name : rule.spaceDelimitedClaims()) {
      if (claims.get(name) instanceof String text) {
        claims.put(name, ClaimValues.splitOnSpaces(text));
      }
    }
    String subject = claimsSet.getSubject() == null ? "" : claimsSet.getSubject();
    Object azp = claims.get("azp");
    RequestAuth auth = new RequestAuth(rule.issuer() + "/" + subject, rule.issuer(), subject,
        claimsSet.getAudience(), azp instanceof String s ? s : "", claims);

    List<HeaderChange> changes = new ArrayList<>();
    if (!rule.forwardOriginalToken() && location.headerToRemove() != null) {
      changes.add(HeaderChange.remove(location.headerToRemove()));
    }
    if (rule.payloadHeader() != null) {
      // The payload segment exactly as sent (base64url), as Envoy forwards it.
      changes.add(HeaderChange.set(rule.payloadHeader(), jwt.getParsedParts()[1].toString()));
    }
    for (JwtRule.ClaimHeader claimHeader : rule.claimHeaders()) {
      String value = ClaimValues.headerText(ClaimValues.at(original, claimHeader.path()));
      if (value != null) {
        changes.add(HeaderChange.set(claimHeader.header(), value));
      }
    }
    return new JwtOutcome.Authenticated(auth, changes);
  }
}
