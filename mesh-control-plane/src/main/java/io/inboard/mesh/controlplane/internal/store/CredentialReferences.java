package io.inboard.mesh.controlplane.internal.store;

import io.inboard.mesh.controlplane.Diagnostic;
import io.inboard.mesh.controlplane.ResourceId;
import io.inboard.mesh.controlplane.internal.model.ClientTls;
import io.inboard.mesh.controlplane.internal.model.CredentialLookup;
import io.inboard.mesh.controlplane.internal.model.GatewayServer;
import io.inboard.mesh.controlplane.internal.model.ParsedResource;
import io.inboard.mesh.controlplane.internal.model.ServerTls;
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
 * CredentialLookup}); the warning says which Secret and what it lacks. Likewise for Gateway
 * servers: their Secret is looked up in the gateway workload's namespace, which the store does
 * not know, so a server is warned about when no namespace holds a complete Secret of that name
 * (the server then gets no listener chain). As with {@link
 * SubsetReferences}, resources arrive in any order, so this is computed over the whole
 * configuration and a Secret applied later clears it.
 */
final class CredentialReferences {
  private CredentialReferences() {}

  /**
   * The warnings about the DestinationRules and Gateways among {@code about}, checked against
   * the Secrets of {@code all}.
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
      if (r instanceof ParsedResource.Gateway gw) {
        checkGateway(gw, secrets, out);
      }
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

  private static void checkGateway(ParsedResource.Gateway gw,
      Map<ResourceId, ParsedResource.Secret> secrets, List<Diagnostic> out) {
    for (GatewayServer s : gw.servers()) {
      if (!s.served() || !s.terminatesTls() || s.tls().get().credentialName().isEmpty()) {
        continue;
      }
      String name = s.tls().get().credentialName();
      boolean mutual = s.tls().get().mode() == ServerTls.Mode.MUTUAL;
      List<String> namespaces = secrets.keySet().stream()
          .filter(id -> id.name().equals(name)).map(ResourceId::namespace).sorted().toList();
      // the Gateway's own namespace first: its problems are the likeliest to matter
      List<String> candidates = new ArrayList<>();
      if (namespaces.contains(gw.id().namespace())) {
        candidates.add(gw.id().namespace());
      }
      namespaces.stream().filter(ns -> !candidates.contains(ns)).forEach(candidates::add);
      List<CredentialLookup.Found> found = candidates.stream().map(ns ->
          CredentialLookup.findServer(mutual, name, ns, id -> Optional.ofNullable(
              secrets.get(id)))).toList();
      if (found.stream().anyMatch(CredentialLookup.Found::complete)) {
        continue;
      }
      String field = "spec.servers[" + s.index() + "].tls.credentialName";
      String problem = found.isEmpty() ? "Secret " + name + " not found in any namespace"
          + " (expected: in the gateway workload's namespace, with keys tls.crt and tls.key, or"
          + " cert and key" + (mutual ? ", and ca.crt or cacert for mode MUTUAL" : "") + ")"
          : String.join("; ", found.get(0).problems());
      out.add(new Diagnostic(Diagnostic.Severity.WARNING, gw.id(), field, problem
          + "; this server gets no listener chain until the Secret is there"));
    }
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
