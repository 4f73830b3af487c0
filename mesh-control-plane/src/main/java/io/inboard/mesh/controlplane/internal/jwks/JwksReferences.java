package io.inboard.mesh.controlplane.internal.jwks;

import io.inboard.mesh.api.internal.Durations;
import io.inboard.mesh.controlplane.Diagnostic;
import io.inboard.mesh.controlplane.internal.model.ParsedResource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code jwksUri}s the accepted RequestAuthentications name (in rules without an inline
 * {@code jwks}, which needs no fetch), and the findings about them that operators see in the
 * diagnostics: a URI whose last fetch failed, named on each rule that uses it.
 */
public final class JwksReferences {
  private JwksReferences() {}

  /**
   * Each {@code jwksUri} to fetch, with its timeout: the longest {@code timeout} of the rules
   * naming it, {@link JwksFetcher#DEFAULT_TIMEOUT} for a rule that names none.
   */
  public static Map<String, Duration> uris(List<ParsedResource> resources) {
    Map<String, Duration> out = new TreeMap<>();
    forEachRule(resources, (ra, index, rule) -> {
      Duration timeout = rule.get("timeout") instanceof String t
          ? Durations.parse("timeout", t) : JwksFetcher.DEFAULT_TIMEOUT;
      out.merge((String) rule.get("jwksUri"), timeout,
          (a, b) -> a.compareTo(b) >= 0 ? a : b);
    });
    return out;
  }

  /**
   * A WARNING on {@code spec.jwtRules[i].jwksUri} of each rule whose URI has a problem: what
   * went wrong, and whether the last good key set is still served or the issuer's tokens are
   * rejected for want of one.
   */
  public static List<Diagnostic> findings(List<ParsedResource> resources, JwksFetcher fetcher) {
    Map<String, String> problems = fetcher.problems();
    List<Diagnostic> out = new ArrayList<>();
    if (problems.isEmpty()) {
      return out;
    }
    forEachRule(resources, (ra, index, rule) -> {
      String uri = (String) rule.get("jwksUri");
      String problem = problems.get(uri);
      if (problem != null) {
        out.add(new Diagnostic(Diagnostic.Severity.WARNING, ra.id(),
            "spec.jwtRules[" + index + "].jwksUri", "'" + uri + "': " + problem + "; "
            + (fetcher.keys(uri).isPresent() ? "the last good key set stays in use"
                : "no key set has been fetched yet, so tokens of issuer '"
                    + rule.get("issuer") + "' are rejected")));
      }
    });
    return out;
  }

  private interface RuleVisitor {
    void visit(ParsedResource.RequestAuthentication ra, int index, Map<?, ?> rule);
  }

  private static void forEachRule(List<ParsedResource> resources, RuleVisitor visitor) {
    for (ParsedResource r : resources) {
      if (r instanceof ParsedResource.RequestAuthentication ra
          && ra.source().spec().get("jwtRules") instanceof List<?> rules) {
        for (int i = 0; i < rules.size(); i++) {
          if (rules.get(i) instanceof Map<?, ?> rule && rule.get("jwksUri") instanceof String
              && rule.get("jwks") == null) {
            visitor.visit(ra, i, rule);
          }
        }
      }
    }
  }
}
