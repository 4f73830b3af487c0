package io.inboard.mesh.security.internal.jwt;

import io.inboard.mesh.security.internal.authz.PolicySource;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** RequestAuthentications as the JSON trees YAML gives, and a clock tests move by hand. */
final class JwtTestPolicies {
  static final String ISSUER = "https://issuer.example.com";
  /** The tests' "now": 2026-01-01T00:00:00Z. */
  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  private JwtTestPolicies() {}

  /** A jwtRule for {@link #ISSUER} with inline {@code jwks}; add fields with {@code put}. */
  static Map<String, Object> rule(String jwks) {
    Map<String, Object> rule = new LinkedHashMap<>();
    rule.put("issuer", ISSUER);
    rule.put("jwks", jwks);
    return rule;
  }

  /** RequestAuthentication {@code ns/req-auth} with {@code jwtRules}. */
  static PolicySource policy(Map<?, ?>... jwtRules) {
    return new PolicySource("ns", "req-auth", Map.of("jwtRules", List.of(jwtRules)));
  }

  static JwtAuthenticator compile(MutableClock clock, Map<?, ?>... jwtRules) {
    return JwtAuthenticator.compile(List.of(policy(jwtRules)), clock);
  }

  /** A clock standing at {@link #NOW} until moved. */
  static final class MutableClock extends Clock {
    private volatile Instant now = NOW;

    void advanceSeconds(long seconds) {
      now = now.plusSeconds(seconds);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      throw new UnsupportedOperationException();
    }
  }
}
