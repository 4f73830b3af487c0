package io.inboard.mesh.controlplane.internal.store;

import io.inboard.mesh.controlplane.Diagnostic;
import io.inboard.mesh.controlplane.internal.model.GatewayHost;
import io.inboard.mesh.controlplane.internal.model.GatewayServer;
import io.inboard.mesh.controlplane.internal.model.ParsedResource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds servers of two Gateways that can select one workload (their selectors do not disagree
 * on any label) and cannot share a port there: a plaintext and a TLS server on one port, or two
 * TLS servers with one SNI host. The gateway serves the one of the Gateway first by namespace
 * and name (the order the translation merges them in) and leaves the other out, as Istio's
 * {@code mergeGateways} does; the one left out gets a warning.
 */
final class GatewayConflicts {
  private static final Comparator<ParsedResource.Gateway> ORDER = Comparator
      .comparing((ParsedResource.Gateway g) -> g.id().namespace())
      .thenComparing(g -> g.id().name());

  private GatewayConflicts() {}

  /** The warnings about the Gateways among {@code about}, checked against those of {@code all}. */
  static List<Diagnostic> check(Collection<ParsedResource> about, Collection<ParsedResource> all) {
    List<ParsedResource.Gateway> gateways = all.stream()
        .filter(r -> r instanceof ParsedResource.Gateway).map(r -> (ParsedResource.Gateway) r)
        .toList();
    List<Diagnostic> out = new ArrayList<>();
    for (ParsedResource r : about) {
      if (!(r instanceof ParsedResource.Gateway gw)) {
        continue;
      }
      for (GatewayServer s : gw.servers()) {
        if (!s.served()) {
          continue;
        }
        gateways.stream()
            .filter(o -> !o.id().equals(gw.id()) && ORDER.compare(o, gw) < 0
                && compatible(o.selector(), gw.selector()))
            .flatMap(o -> o.servers().stream().filter(GatewayServer::served)
                .map(os -> conflict(s, os).map(why -> new Diagnostic(
                    Diagnostic.Severity.WARNING, gw.id(), "spec.servers[" + s.index() + "]",
                    "port " + s.port() + " of a workload both select is already served by"
                        + " Gateway " + o.qualifiedName() + " (spec.servers[" + os.index()
                        + "], " + os.protocol() + "), which comes first by namespace and name;"
                        + " this server is left out there (" + why + ")"))))
            .flatMap(Optional::stream).findFirst().ifPresent(out::add);
      }
    }
    return out;
  }

  private static Optional<String> conflict(GatewayServer s, GatewayServer first) {
    if (s.port() != first.port()) {
      return Optional.empty();
    }
    if (s.terminatesTls() != first.terminatesTls()) {
      return Optional.of("plaintext and TLS servers cannot share a port");
    }
    if (s.terminatesTls()) {
      return s.hosts().stream().map(GatewayHost::dnsName)
          .filter(h -> first.hosts().stream().anyMatch(f -> f.dnsName().equals(h)))
          .findFirst().map(h -> "TLS servers of one port are told apart by SNI, and both have"
              + " host " + h);
    }
    return Optional.empty();
  }

  /** Whether a workload can carry both selectors' labels. */
  private static boolean compatible(Map<String, String> a, Map<String, String> b) {
    return a.entrySet().stream().allMatch(e -> !b.containsKey(e.getKey())
        || b.get(e.getKey()).equals(e.getValue()));
  }
}
