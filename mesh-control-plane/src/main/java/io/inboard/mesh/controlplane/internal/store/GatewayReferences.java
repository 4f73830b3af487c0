package io.inboard.mesh.controlplane.internal.store;

import io.inboard.mesh.controlplane.Diagnostic;
import io.inboard.mesh.controlplane.ResourceId;
import io.inboard.mesh.controlplane.internal.model.GatewayNames;
import io.inboard.mesh.controlplane.internal.model.GatewayServer;
import io.inboard.mesh.controlplane.internal.model.Hosts;
import io.inboard.mesh.controlplane.internal.model.ParsedResource;
import io.inboard.mesh.controlplane.internal.parse.Node;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Finds VirtualService {@code gateways} that name no stored Gateway (Istio's analyzer IST0101,
 * "Referenced gateway not found"), and those whose Gateway serves none of the VirtualService's
 * hosts for its namespace (IST0132). Such a binding routes nothing at that gateway. Like the
 * other reference checks, computed over the whole configuration, so a Gateway applied later
 * clears it.
 */
final class GatewayReferences {
  private GatewayReferences() {}

  /**
   * The warnings about the VirtualServices among {@code about}, checked against the Gateways of
   * {@code all}.
   *
   * @param documents the document each resource was read from, for the field paths
   */
  static List<Diagnostic> check(Collection<ParsedResource> about, Collection<ParsedResource> all,
      Function<ResourceId, Object> documents) {
    Map<String, ParsedResource.Gateway> gateways = new LinkedHashMap<>();
    all.stream().filter(r -> r instanceof ParsedResource.Gateway)
        .map(r -> (ParsedResource.Gateway) r).forEach(g -> gateways.put(g.qualifiedName(), g));
    List<Diagnostic> out = new ArrayList<>();
    for (ParsedResource r : about) {
      if (!(r instanceof ParsedResource.VirtualService vs) || vs.gateways().isEmpty()) {
        continue;
      }
      List<Node> names = new Node(documents.apply(vs.id()), "").get("spec").get("gateways")
          .list();
      for (Node n : names) {
        String name = GatewayNames.resolve(n.string(), vs.id().namespace());
        if (name.equals(GatewayNames.MESH)) {
          continue;
        }
        ParsedResource.Gateway gw = gateways.get(name);
        if (gw == null) {
          out.add(new Diagnostic(Diagnostic.Severity.WARNING, vs.id(), n.path(),
              "Referenced gateway not found: \"" + name + "\"; no gateway routes by this"
                  + " VirtualService until a Gateway of that name is applied"));
        } else if (gw.servers().stream().filter(GatewayServer::served).allMatch(s ->
            Hosts.shared(s.hosts(), vs.id().namespace(), vs.hosts()).isEmpty())) {
          out.add(new Diagnostic(Diagnostic.Severity.WARNING, vs.id(), n.path(),
              "none of the hosts " + vs.hosts() + " is served by a server of Gateway " + name
                  + " for namespace " + vs.id().namespace() + " (its servers' hosts: "
                  + gw.servers().stream().filter(GatewayServer::served)
                      .flatMap(s -> s.hosts().stream()).map(Object::toString).distinct()
                      .toList() + "); this gateway routes nothing by this VirtualService"));
        }
      }
    }
    return out;
  }
}
