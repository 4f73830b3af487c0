package io.inboard.mesh.controlplane.internal.store;

import io.inboard.mesh.controlplane.Diagnostic;
import io.inboard.mesh.controlplane.ResourceId;
import io.inboard.mesh.controlplane.internal.model.ClientTls;
import io.inboard.mesh.controlplane.internal.model.CredentialLookup;
import io.inboard.mesh.controlplane.internal.model.ParsedResource;
import io.inboard.mesh.controlplane.internal.parse.Node;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Finds DestinationRule {@code tls.credentialName}s whose Secret (or its keys) is missing. The
 * cluster is then served with no certificates and its calls fail (see {@link
 * CredentialLookup}); the warning says which Secret and what it lacks. As with {@link
 * SubsetReferences}, resources arrive in any order, so this is computed over the whole
 * configuration and a Secret applied later clears it.
 */
final class CredentialReferences {
  private CredentialReferences() {}

  /**
   * The warnings about the DestinationRules among {@code about}, checked against the Secrets of
   * {@code all}.
   *
   * @param documents the document each resource was read from, for the field paths
   */
  static List<Diagnostic> check(Collection<ParsedResource> about, Collection<ParsedResource> all,
      Function<ResourceId, Object> documents) {
    Map<ResourceId, ParsedResource.Secret> secrets = new HashMap<>();
    all.stream().filter(r -> r instanceof ParsedResource.Secret)
        .forEach(r -> secrets.put(r.id(), (ParsedResource.Secret) r));
    List<Diagnostic> out = new ArrayList<>();
    for (ParsedResource r : about) {
      if (r instanceof ParsedResource.DestinationRule dr) {
        Node spec = new Node(documents.apply(dr.id()), "").get("spec");
        List<Node> policies = new ArrayList<>();
        policies.add(spec.get("trafficPolicy"));
        spec.get("subsets").list().forEach(s -> policies.add(s.get("trafficPolicy")));
        for (Node policy : policies) {
          check(dr.id(), policy.get("tls"), secrets, out);
          policy.get("portLevelSettings").list()
              .forEach(p -> check(dr.id(), p.get("tls"), secrets, out));
        }
      }
    }
    return out;
  }

  private static void check(ResourceId rule, Node tls, Map<ResourceId, ParsedResource.Secret>
      secrets, List<Diagnostic> out) {
    Node name = tls.get("credentialName");
    Optional<String> mode = tls.get("mode").optString();
    if (!name.present() || name.optString().orElse("").isEmpty() || mode.isEmpty()
        || !(mode.get().equals("SIMPLE") || mode.get().equals("MUTUAL"))) {
      return;
    }
    CredentialLookup.Found found = CredentialLookup.find(ClientTls.Mode.valueOf(mode.get()),
        name.string(), Boolean.TRUE.equals(tls.get("insecureSkipVerify").value()),
        rule.namespace(), id -> Optional.ofNullable(secrets.get(id)));
    for (String problem : found.problems()) {
      out.add(new Diagnostic(Diagnostic.Severity.WARNING, rule, name.path(), problem
          + "; the cluster is served without certificates and its calls fail until the Secret"
          + " is there"));
    }
  }
}
