package io.inboard.mesh.controlplane.internal.translate;

import io.inboard.mesh.controlplane.internal.model.Hosts;
import io.inboard.mesh.controlplane.internal.model.ParsedResource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The VirtualServices that apply to mesh clients, indexed by host: {@link #forHost} answers with
 * the first, in resource order, whose host patterns cover the host, without scanning every
 * resource for each of a thousand services.
 */
final class MeshVirtualServices {

  private final List<ParsedResource.VirtualService> inOrder = new ArrayList<>();
  /** Each exact host to the position of the first VirtualService that names it. */
  private final Map<String, Integer> exact = new HashMap<>();
  /** Positions of VirtualServices with a wildcard host ({@code *}, {@code *.suffix}), in order. */
  private final List<Integer> wildcards = new ArrayList<>();

  /** @param virtualServices every VirtualService, in resource order */
  MeshVirtualServices(List<ParsedResource.VirtualService> virtualServices) {
    for (ParsedResource.VirtualService vs : virtualServices) {
      if (!vs.appliesToMesh()) {
        continue;
      }
      int at = inOrder.size();
      inOrder.add(vs);
      boolean wild = false;
      for (String h : vs.hosts()) {
        if (h.startsWith("*")) {
          wild = true;
        } else {
          exact.putIfAbsent(h, at);
        }
      }
      if (wild) {
        wildcards.add(at);
      }
    }
  }

  /** The VirtualService mesh clients use for {@code fqdn}: the first that covers it. */
  Optional<ParsedResource.VirtualService> forHost(String fqdn) {
    int first = exact.getOrDefault(fqdn, Integer.MAX_VALUE);
    for (int at : wildcards) {
      if (at >= first) {
        break;
      }
      if (inOrder.get(at).hosts().stream().anyMatch(h -> Hosts.covers(h, fqdn))) {
        first = at;
        break;
      }
    }
    return first == Integer.MAX_VALUE ? Optional.empty() : Optional.of(inOrder.get(first));
  }
}
