package io.inboard.mesh.controlplane.internal.store;

import io.inboard.mesh.controlplane.Diagnostic;
import io.inboard.mesh.controlplane.ResourceId;
import io.inboard.mesh.controlplane.internal.model.DestinationPolicy;
import io.inboard.mesh.controlplane.internal.model.Hosts;
import io.inboard.mesh.controlplane.internal.model.ParsedResource;
import io.inboard.mesh.controlplane.internal.model.Subset;
import io.inboard.mesh.controlplane.internal.parse.Node;
import io.inboard.mesh.controlplane.internal.parse.VirtualServiceParser;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Finds VirtualService route destinations that name a subset no DestinationRule for their host
 * defines. Such a route sends its calls to a cluster with no endpoints, so they fail. These are
 * warnings, not errors: resources arrive in any order, and the DestinationRule may come next.
 * They are computed over the whole configuration, so applying the rule clears them.
 */
public final class SubsetReferences {
  /** HTTPRoute actions that replace {@code route}; as in {@link VirtualServiceParser}. */
  private static final List<String> NON_FORWARDING = List.of("redirect", "directResponse",
      "delegate");

  private SubsetReferences() {}

  /**
   * The warnings about the VirtualServices among {@code about}, checked against the
   * DestinationRules of {@code all}.
   *
   * @param documents the document each resource was read from, for the field paths
   */
  static List<Diagnostic> check(Collection<ParsedResource> about, Collection<ParsedResource> all,
      Function<ResourceId, Object> documents) {
    List<DestinationPolicy> rules = all.stream()
        .filter(r -> r instanceof ParsedResource.DestinationRule)
        .map(r -> ((ParsedResource.DestinationRule) r).policy()).toList();
    List<Diagnostic> out = new ArrayList<>();
    for (ParsedResource r : about) {
      if (r instanceof ParsedResource.VirtualService vs) {
        check(vs, documents.apply(vs.id()), rules, out);
      }
    }
    return out;
  }

  private static void check(ParsedResource.VirtualService vs, Object document,
      List<DestinationPolicy> rules, List<Diagnostic> out) {
    // the parsed routes leave out non-forwarding ones, so walk the document alongside them to
    // name each destination by its path as written
    List<Node> written = new Node(document, "").get("spec").get("http").list().stream()
        .filter(SubsetReferences::forwards).toList();
    for (int i = 0; i < vs.http().size() && i < written.size(); i++) {
      List<Node> routeNodes = written.get(i).get("route").list();
      var destinations = vs.http().get(i).destinations();
      for (int j = 0; j < destinations.size() && j < routeNodes.size(); j++) {
        String host = destinations.get(j).host();
        String subset = destinations.get(j).subset();
        if (!subset.isEmpty() && !defined(rules, host, subset)) {
          out.add(new Diagnostic(Diagnostic.Severity.WARNING, vs.id(),
              routeNodes.get(j).get("destination").get("subset").path(),
              "subset '" + subset + "' of host " + host + " is not defined by any"
                  + " DestinationRule; calls routed here fail until one defines it"));
        }
      }
    }
  }

  private static boolean forwards(Node http) {
    return http.get("route").present()
        || NON_FORWARDING.stream().noneMatch(k -> http.get(k).present());
  }

  private static boolean defined(List<DestinationPolicy> rules, String host, String subset) {
    return rules.stream()
        .filter(p -> Hosts.covers(p.host(), host))
        .flatMap(p -> p.subsets().stream())
        .map(Subset::name)
        .anyMatch(name -> Objects.equals(name, subset));
  }
}
