package io.inboard.mesh.controlplane.internal.translate;

import io.inboard.mesh.controlplane.internal.model.ParsedResource;
import io.inboard.mesh.security.internal.authz.PolicySource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The AuthorizationPolicies and RequestAuthentications in force, indexed once per
 * configuration so that each workload's lists are a filter over a few entries. Istio's rule
 * for these kinds ({@code AuthorizationPolicies.ListAuthorizationPolicies}), which differs
 * from PeerAuthentication's in the root namespace:
 *
 * <ul>
 *   <li>in the root namespace, without selector: every workload of the mesh;
 *   <li>in the root namespace, with {@code selector.matchLabels}: the matching workloads of
 *       every namespace;
 *   <li>elsewhere, without selector: the workloads of its namespace;
 *   <li>elsewhere, with a selector: the matching workloads of its namespace.
 * </ul>
 *
 * <p>Every policy that applies is served (they combine, none wins); each list is ordered by
 * namespace, then name, so that the same configuration gives the same listener. A
 * RequestAuthentication rule with a {@code jwksUri} and no {@code jwks} is served with the key
 * set the control plane fetched as {@code jwks}, and without one while no fetch has succeeded.
 */
public final class SecurityPolicies {
  private final String rootNamespace;
  private final List<Scoped> authorizationPolicies = new ArrayList<>();
  private final List<Scoped> requestAuthentications = new ArrayList<>();

  /**
   * @param resources the accepted resources; kinds other than these two are skipped
   * @param rootNamespace the namespace of mesh-wide policies ({@code istio-system})
   * @param jwks the last good key set fetched from a {@code jwksUri} (JSON text), if any
   */
  public SecurityPolicies(List<ParsedResource> resources, String rootNamespace,
      Function<String, Optional<String>> jwks) {
    this.rootNamespace = rootNamespace;
    for (ParsedResource r : resources) {
      if (r instanceof ParsedResource.AuthorizationPolicy ap) {
        authorizationPolicies.add(new Scoped(ap.selector(), ap.source()));
      } else if (r instanceof ParsedResource.RequestAuthentication ra) {
        requestAuthentications.add(new Scoped(ra.selector(),
            InlineJwks.withFetchedKeys(ra.source(), jwks)));
      }
    }
    Comparator<Scoped> order = Comparator.comparing((Scoped s) -> s.source().namespace())
        .thenComparing(s -> s.source().name());
    authorizationPolicies.sort(order);
    requestAuthentications.sort(order);
  }

  /** The AuthorizationPolicies that apply to a workload of {@code namespace} with {@code labels}. */
  public List<PolicySource> authorizationPolicies(String namespace, Map<String, String> labels) {
    return applying(authorizationPolicies, namespace, labels);
  }

  /** The RequestAuthentications that apply to a workload of {@code namespace} with {@code labels}. */
  public List<PolicySource> requestAuthentications(String namespace, Map<String, String> labels) {
    return applying(requestAuthentications, namespace, labels);
  }

  private List<PolicySource> applying(List<Scoped> all, String namespace,
      Map<String, String> labels) {
    List<PolicySource> out = new ArrayList<>();
    for (Scoped s : all) {
      String ns = s.source().namespace();
      boolean inScope = ns.equals(rootNamespace) || ns.equals(namespace);
      if (inScope && labels.entrySet().containsAll(s.selector().entrySet())) {
        out.add(s.source());
      }
    }
    return List.copyOf(out);
  }

  /** A policy and the labels it selects by (empty: every workload of its scope). */
  private record Scoped(Map<String, String> selector, PolicySource source) {}
}
