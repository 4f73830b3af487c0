package io.inboard.mesh.security.internal.jwt;

import static io.inboard.mesh.security.internal.jwt.JwtTestKeys.RSA;
import static io.inboard.mesh.security.internal.jwt.JwtTestKeys.jwks;
import static io.inboard.mesh.security.internal.jwt.JwtTestKeys.sign;
import static io.inboard.mesh.security.internal.jwt.JwtTestPolicies.NOW;
import static io.inboard.mesh.security.internal.jwt.JwtTestPolicies.compile;
import static io.inboard.mesh.security.internal.jwt.JwtTestPolicies.rule;
import static org.assertj.core.api.Assertions.assertThat;

import io.inboard.mesh.security.internal.jwt.JwtTestPolicies.MutableClock;
import java.util.Date;
import org.junit.jupiter.api.Test;

/** Verified tokens are remembered until they expire; rejected ones never are. */
class JwtCacheTest {
  private final MutableClock clock = new MutableClock();
  private final JwtAuthenticator authenticator = compile(clock, rule(jwks(RSA)));

  @Test
  void repeatedToken_isVerifiedOnceAndAnsweredFromCache() {
    String token = sign(JwtVerificationTest.claims().build());

    JwtOutcome first = authenticator.authenticate(JwtTestRequest.bearer(token));
    JwtOutcome second = authenticator.authenticate(JwtTestRequest.bearer(token));

    assertThat(first).isInstanceOf(JwtOutcome.Authenticated.class);
    assertThat(second).isSameAs(first);
    assertThat(authenticator.fullVerifications()).isEqualTo(1);
    assertThat(authenticator.cachedTokens()).isEqualTo(1);
  }

  @Test
  void cachedToken_isRejectedAsExpiredOncePastExpPlusSkew() {
    String token = sign(JwtVerificationTest.claims().expirationTime(Date.from(NOW.plusSeconds(10))).build());
    assertThat(authenticator.authenticate(JwtTestRequest.bearer(token))).isInstanceOf(JwtOutcome.Authenticated.class);

    clock.advanceSeconds(10 + 60);
    assertThat(authenticator.authenticate(JwtTestRequest.bearer(token))).isInstanceOf(JwtOutcome.Authenticated.class);
    clock.advanceSeconds(1);

    assertThat(authenticator.authenticate(JwtTestRequest.bearer(token)))
        .isEqualTo(new JwtOutcome.Rejected("Jwt is expired"));
    assertThat(authenticator.cachedTokens()).isZero();
  }

  @Test
  void rejectedTokens_areNotCached() {
    String forged = sign(JwtTestKeys.OTHER_RSA, com.nimbusds.jose.JWSAlgorithm.RS256,
        JwtVerificationTest.claims().build());

    authenticator.authenticate(JwtTestRequest.bearer(forged));
    authenticator.authenticate(JwtTestRequest.bearer(forged));

    assertThat(authenticator.cachedTokens()).isZero();
    assertThat(authenticator.fullVerifications()).isEqualTo(2);
  }

  @Test
  void cachedTokenFoundInAnotherLocation_isVerifiedAgainForItsHeaderChanges() {
    String token = sign(JwtVerificationTest.claims().build());
    authenticator.authenticate(JwtTestRequest.bearer(token));

    JwtOutcome fromParam = authenticator.authenticate(new JwtTestRequest().param("access_token", token));

    assertThat(((JwtOutcome.Authenticated) fromParam).changes()).isEmpty();
    assertThat(authenticator.fullVerifications()).isEqualTo(2);
  }

  @Test
  void fullCache_dropsEntriesInsteadOfGrowing() {
    VerifiedTokenCache cache = new VerifiedTokenCache(10);
    JwtOutcome.Authenticated outcome = (JwtOutcome.Authenticated) authenticator.authenticate(
        JwtTestRequest.bearer(sign(JwtVerificationTest.claims().build())));
    TokenLocation location = new TokenLocation.Param("p");

    for (int i = 0; i < 25; i++) {
      cache.put("token-" + i, location, outcome, Long.MAX_VALUE, 0);
    }

    assertThat(cache.size()).isLessThanOrEqualTo(10);
    assertThat(cache.get("token-24", location, 0)).isSameAs(outcome);
  }
}
