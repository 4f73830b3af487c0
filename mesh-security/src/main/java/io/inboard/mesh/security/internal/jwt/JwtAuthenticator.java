package io.inboard.mesh.security.internal.jwt;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.inboard.mesh.security.internal.authz.PolicySource;
import java.text.ParseException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.LongAdder;

/**
 * The RequestAuthentications that apply to one workload, compiled once: where to look for a
 * token, the keys of each issuer, and a cache of verified tokens.
 *
 * <p>Per request: the configured locations (every rule's, identical ones once, in rule order;
 * by default {@code Authorization: Bearer <token>} then {@code ?access_token=}) are read in
 * order and the first token found is the one judged. A token verified before and not yet
 * expired is answered from a cache of at most {@value VerifiedTokenCache#DEFAULT_CAPACITY}
 * tokens; otherwise it is parsed, its {@code iss} picks the rules of that issuer that list the
 * location it came from (none: {@code Jwt issuer is not configured}, as Envoy says), and those
 * rules' keys, time window (60 s skew), and audiences decide.
 *
 * <p>Keys only ever come inline ({@code jwks}): the control plane fetches {@code jwksUri} and
 * delivers the key set in the same rule, and a rule with only a {@code jwksUri} rejects every
 * token with {@code Jwks remote fetch is failed}. A token from a query parameter or cookie is
 * left in place even without {@code forwardOriginalToken}, as Envoy leaves it; one from a
 * header is removed.
 *
 * <p>Thread-safe. Key rotation is a new {@link #compile} (with an empty cache).
 */
public final class JwtAuthenticator {
  /** No RequestAuthentication applies: every request is {@link JwtOutcome.NoToken}. */
  public static final JwtAuthenticator NONE = new JwtAuthenticator(List.of(), List.of(), Clock.systemUTC());

  private final List<JwtRule> rules;
  private final List<LocationRules> lookups;
  private final Clock clock;
  private final VerifiedTokenCache cache = new VerifiedTokenCache(VerifiedTokenCache.DEFAULT_CAPACITY);
  private final LongAdder fullVerifications = new LongAdder();

  private JwtAuthenticator(List<JwtRule> rules, List<LocationRules> lookups, Clock clock) {
    this.rules = List.copyOf(rules);
    this.lookups = List.copyOf(lookups);
    this.clock = clock;
  }

  /**
   * Compiles {@code requestAuthentications}' {@code jwtRules}.
   *
   * @throws io.inboard.mesh.security.internal.authz.PolicyException naming the first resource
   *     and field that cannot be compiled
   */
  public static JwtAuthenticator compile(List<PolicySource> requestAuthentications) {
    return compile(requestAuthentications, Clock.systemUTC());
  }

  /** {@link #compile(List)} judging token lifetimes by {@code clock}. */
  public static JwtAuthenticator compile(List<PolicySource> requestAuthentications, Clock clock) {
    Objects.requireNonNull(requestAuthentications, "requestAuthentications");
    Objects.requireNonNull(clock, "clock");
    List<JwtRule> rules = new ArrayList<>();
    for (PolicySource source : requestAuthentications) {
      rules.addAll(JwtRuleCompiler.compile(source));
    }
    // Each distinct location once, with the rules (by issuer) that list it.
    Map<TokenLocation, Map<String, List<JwtRule>>> byLocation = new LinkedHashMap<>();
    for (JwtRule rule : rules) {
      for (TokenLocation location : rule.locations()) {
        byLocation.computeIfAbsent(location, l -> new LinkedHashMap<>())
            .computeIfAbsent(rule.issuer(), i -> new ArrayList<>())
            .add(rule);
      }
    }
    List<LocationRules> lookups = new ArrayList<>();
    byLocation.forEach((location, byIssuer) -> lookups.add(new LocationRules(location, byIssuer)));
    return new JwtAuthenticator(rules, lookups, clock);
  }

  /** Finds, verifies and reads the request's token. */
  public JwtOutcome authenticate(TokenSource request) {
    for (LocationRules lookup : lookups) {
      String token = lookup.location.find(request);
      if (token != null) {
        return authenticate(token, lookup);
      }
    }
    return JwtOutcome.NoToken.INSTANCE;
  }

  /** Whether no rule applies. */
  public boolean isEmpty() {
    return rules.isEmpty();
  }

  /** The issuers the rules accept, sorted. */
  public Set<String> issuers() {
    Set<String> issuers = new TreeSet<>();
    rules.forEach(rule -> issuers.add(rule.issuer()));
    return issuers;
  }

  /** How many verified tokens are cached now (at most 10,000). */
  public int cachedTokens() {
    return cache.size();
  }

  /** How many tokens were parsed and checked in full (cache misses), for tests. */
  long fullVerifications() {
    return fullVerifications.sum();
  }

  private JwtOutcome authenticate(String token, LocationRules lookup) {
    long now = clock.millis();
    JwtOutcome.Authenticated cached = cache.get(token, lookup.location, now);
    if (cached != null) {
      return cached;
    }
    fullVerifications.increment();
    SignedJWT jwt;
    JWTClaimsSet claims;
    try {
      jwt = SignedJWT.parse(token);
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      return TokenVerifier.VERIFICATION_FAILS;
    }
    List<JwtRule> issuerRules = claims.getIssuer() == null ? null : lookup.rulesByIssuer.get(claims.getIssuer());
    if (issuerRules == null) {
      return TokenVerifier.UNKNOWN_ISSUER;
    }
    JwtOutcome outcome = TokenVerifier.verify(jwt, claims, issuerRules, lookup.location, now);
    if (outcome instanceof JwtOutcome.Authenticated authenticated) {
      cache.put(token, lookup.location, authenticated, TokenVerifier.validUntilMillis(claims), now);
    }
    return outcome;
  }

  private record LocationRules(TokenLocation location, Map<String, List<JwtRule>> rulesByIssuer) {}
}
