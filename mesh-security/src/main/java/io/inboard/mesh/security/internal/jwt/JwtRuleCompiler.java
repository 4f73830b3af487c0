package io.inboard.mesh.security.internal.jwt;

import com.nimbusds.jose.jwk.JWKSet;
import io.inboard.mesh.security.internal.authz.PolicyException;
import io.inboard.mesh.security.internal.authz.PolicySource;
import java.net.URI;
import java.net.URISyntaxException;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads one RequestAuthentication's {@code spec.jwtRules} into {@link JwtRule}s, or says why not. */
final class JwtRuleCompiler {
  private static final Set<String> SPEC_FIELDS = Set.of("jwtRules", "selector", "targetRef", "targetRefs");
  private static final Set<String> RULE_FIELDS = Set.of("issuer", "audiences", "jwksUri", "jwks",
      "fromHeaders", "fromParams", "fromCookies", "outputPayloadToHeader", "forwardOriginalToken",
      "outputClaimToHeaders", "timeout", "spaceDelimitedClaims");
  private static final Set<String> FROM_HEADER_FIELDS = Set.of("name", "prefix");
  private static final Set<String> CLAIM_HEADER_FIELDS = Set.of("header", "claim");
  /** RFC 9110 token characters: what an HTTP header name may hold. */
  private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  /** Protobuf's duration text ({@code 5s}, {@code 1.5s}) and Go's single-unit forms ({@code 500ms}). */
  private static final Pattern DURATION = Pattern.compile("[0-9]+(\\.[0-9]+)?(s|ms|m|h)");

  private JwtRuleCompiler() {}

  static List<JwtRule> compile(PolicySource source) {
    SpecFields spec = SpecFields.of(source.id(), "spec", source.spec());
    spec.onlyFields(SPEC_FIELDS);
    List<JwtRule> rules = new ArrayList<>();
    for (SpecFields rule : spec.objects("jwtRules")) {
      rules.add(compileRule(source.id(), rule));
    }
    return rules;
  }

  private static JwtRule compileRule(String resource, SpecFields rule) {
    rule.onlyFields(RULE_FIELDS);
    String issuer = rule.requiredString("issuer", "the issuer of the tokens, such as https://accounts.example.com");
    List<String> audiences = rule.strings("audiences");
    VerificationKeys keys = keys(rule);
    List<TokenLocation> locations = locations(rule);
    boolean forward = rule.bool("forwardOriginalToken", false);
    String payloadHeader = rule.string("outputPayloadToHeader");
    if (payloadHeader != null) {
      payloadHeader = headerName(rule, "outputPayloadToHeader", payloadHeader);
    }
    List<JwtRule.ClaimHeader> claimHeaders = new ArrayList<>();
    for (SpecFields claimHeader : rule.objects("outputClaimToHeaders")) {
      claimHeaders.add(claimHeader(claimHeader));
    }
    String timeout = rule.string("timeout");
    if (timeout != null && !DURATION.matcher(timeout).matches()) {
      throw rule.error("timeout", SpecFields.describe(timeout) + " (expected: a duration such as 5s or 1.5s)");
    }
    Set<String> spaceDelimited = new HashSet<>(ClaimValues.ALWAYS_SPACE_DELIMITED);
    spaceDelimited.addAll(rule.strings("spaceDelimitedClaims"));
    return new JwtRule(resource + " " + rule.path().substring("spec.".length()), issuer, audiences,
        keys, locations, forward, payloadHeader, claimHeaders, spaceDelimited);
  }

  /**
   * The control plane fetches {@code jwksUri} and sends the key set as {@code jwks} in the same
   * rule; workloads never fetch. So a {@code jwksUri} alone means the fetch failed (or has not
   * happened): {@code null}, and the rule rejects every token as Envoy does then.
   */
  private static VerificationKeys keys(SpecFields rule) {
    String jwksUri = rule.string("jwksUri");
    if (jwksUri != null) {
      checkHttpUrl(rule, jwksUri);
    }
    String jwks = rule.string("jwks");
    if (jwks != null) {
      try {
        return VerificationKeys.of(JWKSet.parse(jwks));
      } catch (ParseException e) {
        throw rule.error("jwks", e.getMessage() + " (expected: a JSON Web Key Set, {\"keys\": [...]}, RFC 7517)");
      }
    }
    if (jwksUri == null) {
      throw rule.error("jwks", "missing, and so is jwksUri (expected: one of them; "
          + "discovering keys from the issuer's OpenID configuration is not supported)");
    }
    return null;
  }

  private static void checkHttpUrl(SpecFields rule, String jwksUri) {
    String expected = " (expected: an absolute http or https URL, such as https://example.com/.well-known/jwks.json)";
    URI uri;
    try {
      uri = new URI(jwksUri);
    } catch (URISyntaxException e) {
      throw rule.error("jwksUri", SpecFields.describe(jwksUri) + ": " + e.getReason() + expected);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
      throw rule.error("jwksUri", SpecFields.describe(jwksUri) + expected);
    }
  }

  private static List<TokenLocation> locations(SpecFields rule) {
    List<TokenLocation> locations = new ArrayList<>();
    for (SpecFields header : rule.objects("fromHeaders")) {
      header.onlyFields(FROM_HEADER_FIELDS);
      String name = headerName(header, "name", header.requiredString("name", "a header name"));
      String prefix = header.string("prefix");
      locations.add(new TokenLocation.Header(name, prefix == null ? "" : prefix));
    }
    for (String param : rule.strings("fromParams")) {
      locations.add(new TokenLocation.Param(param));
    }
    for (String cookie : rule.strings("fromCookies")) {
      locations.add(new TokenLocation.Cookie(cookie));
    }
    return locations.isEmpty() ? JwtRule.DEFAULT_LOCATIONS : locations;
  }

  private static JwtRule.ClaimHeader claimHeader(SpecFields claimHeader) {
    claimHeader.onlyFields(CLAIM_HEADER_FIELDS);
    String header = headerName(claimHeader, "header", claimHeader.requiredString("header", "a header name"));
    String claim = claimHeader.requiredString("claim", "a claim name, nested objects by '.', such as nested.key");
    List<String> path = List.of(claim.split("\\.", -1));
    if (path.contains("")) {
      throw claimHeader.error("claim", SpecFields.describe(claim) + " (expected: claim names joined by '.', such as nested.key)");
    }
    return new JwtRule.ClaimHeader(header, path);
  }

  private static String headerName(SpecFields object, String field, String name) {
    if (!HEADER_NAME.matcher(name).matches()) {
      throw object.error(field, SpecFields.describe(name) + " (expected: a header name: letters, digits and !#$%&'*+-.^_`|~)");
    }
    return name.toLowerCase(Locale.ROOT);
  }
}
