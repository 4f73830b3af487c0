package io.inboard.mesh.security.internal.authz;

import io.inboard.mesh.security.internal.authz.match.AttributeMatcher;
import io.inboard.mesh.security.internal.authz.match.IpMatcher.Address;
import io.inboard.mesh.security.internal.authz.match.IpMatcher;
import io.inboard.mesh.security.internal.authz.match.PeerIdentityMatcher.Part;
import io.inboard.mesh.security.internal.authz.match.PeerIdentityMatcher;
import io.inboard.mesh.security.internal.authz.match.RequestMatcher;
import java.util.Map;
import java.util.Set;

/** Compiles a rule's {@code from[i].source}: who is calling. */
final class SourceCompiler {
  private static final Set<String> FIELDS = Set.of(
      "principals", "notPrincipals", "requestPrincipals", "notRequestPrincipals",
      "namespaces", "notNamespaces", "serviceAccounts", "notServiceAccounts",
      "trustDomains", "notTrustDomains", "ipBlocks", "notIpBlocks",
      "remoteIpBlocks", "notRemoteIpBlocks");

  private SourceCompiler() {}

  /** All the source's checks, every one of which must match. */
  static RequestMatcher[] compile(PolicyContext ctx, Object value, String field) {
    Map<String, Object> source = SpecValues.mapping(ctx, value, field);
    SpecValues.requireKnownFields(ctx, source, FIELDS, field, "Source");
    FieldMatchers fields = new FieldMatchers(ctx, source, field);
    rejectServiceAccountsWithPrincipals(ctx, fields, field);
    fields.pair("principals", "notPrincipals", (c, v, f) -> peer(Part.PRINCIPAL, v))
        .pair("requestPrincipals", "notRequestPrincipals", (c, v, f) ->
            new AttributeMatcher(SourceCompiler::requestPrincipal, FieldMatchers.patterns(v, false)))
        .pair("namespaces", "notNamespaces", (c, v, f) -> peer(Part.NAMESPACE, v))
        .pair("serviceAccounts", "notServiceAccounts",
            FieldMatchers::serviceAccounts)
        .pair("trustDomains", "notTrustDomains", (c, v, f) -> peer(Part.TRUST_DOMAIN, v))
        .pair("ipBlocks", "notIpBlocks",
            (c, v, f) -> new IpMatcher(Address.SOURCE, FieldMatchers.ipBlocks(c, v, f)))
        .pair("remoteIpBlocks", "notRemoteIpBlocks", (c, v, f) -> {
          c.reads().remoteIp = true;
          return new IpMatcher(Address.REMOTE, FieldMatchers.ipBlocks(c, v, f));
        });
    return fields.build("Source");
  }

  static String requestPrincipal(AuthzRequest request) {
    RequestAuth auth = request.requestAuth();
    return auth == null ? null : auth.principal();
  }

  private static RequestMatcher peer(Part part, java.util.List<String> values) {
    return new PeerIdentityMatcher(part, FieldMatchers.patterns(values, false));
  }

  // Istio rejects these together: a service account is itself a principal in a namespace.
  private static void rejectServiceAccountsWithPrincipals(PolicyContext ctx, FieldMatchers fields,
      String field) {
    for (String accounts : new String[] {"serviceAccounts", "notServiceAccounts"}) {
      if (fields.values(accounts).isEmpty()) {
        continue;
      }
      for (String other : new String[] {"principals", "notPrincipals", "namespaces", "notNamespaces"}) {
        if (!fields.values(other).isEmpty()) {
          throw ctx.error(field + "." + accounts, String.join(",", fields.values(accounts)),
              accounts + " without " + other + " in the same source");
        }
      }
    }
  }
}
