package io.inboard.mesh.controlplane.internal.store;

import io.inboard.mesh.controlplane.Diagnostic;
import io.inboard.mesh.controlplane.ResourceId;
import io.inboard.mesh.controlplane.internal.model.ParsedResource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Finds hosts that two VirtualServices (or two DestinationRules) both claim. Inboard, like
 * Istio's sidecars, does not merge them: the one applied first is served for the host and the
 * other is ignored for it. Both get a warning naming the other, so that nothing is silently
 * lost; removing either clears them.
 */
public final class HostConflicts {

  private HostConflicts() {}

  /**
   * The warnings about the resources among {@code about}, checked against {@code all} in the
   * order they were first applied (which decides who is served).
   */
  static List<Diagnostic> check(Collection<ParsedResource> about, Collection<ParsedResource> all) {
    List<ParsedResource> order = List.copyOf(all);
    List<Diagnostic> out = new ArrayList<>();
    for (ParsedResource r : about) {
      List<String> hosts = hosts(r);
      for (int i = 0; i < hosts.size(); i++) {
        String host = hosts.get(i);
        for (ParsedResource other : order) {
          if (other.id().equals(r.id()) || !other.id().kind().equals(r.id().kind())
              || !hosts(other).contains(host)) {
            continue;
          }
          boolean otherFirst = order.indexOf(other) < indexOf(order, r.id());
          String field = r instanceof ParsedResource.VirtualService ? "spec.hosts[" + i + "]"
              : "spec.host";
          out.add(new Diagnostic(Diagnostic.Severity.WARNING, r.id(), field, otherFirst
              ? "host " + host + " is also claimed by " + name(other.id()) + ", applied first,"
                  + " which is the one served for it; this one is ignored for it (resources for"
                  + " one host are not merged)"
              : "host " + host + " is also claimed by " + name(other.id()) + ", applied later"
                  + " and ignored for it; this one is served (resources for one host are not"
                  + " merged)"));
        }
      }
    }
    return out;
  }

  private static int indexOf(List<ParsedResource> order, ResourceId id) {
    for (int i = 0; i < order.size(); i++) {
      if (order.get(i).id().equals(id)) {
        return i;
      }
    }
    return order.size(); // not stored yet: it would be applied last
  }

  private static List<String> hosts(ParsedResource r) {
    if (r instanceof ParsedResource.VirtualService vs && vs.appliesToMesh()) {
      return vs.hosts();
    }
    if (r instanceof ParsedResource.DestinationRule dr) {
      return List.of(dr.policy().host());
    }
    return List.of();
  }

  private static String name(ResourceId id) {
    return id.kind() + " " + id.namespace() + "/" + id.name();
  }
}
