package io.inboard.mesh.controlplane.internal.translate;

import io.inboard.mesh.controlplane.internal.model.GatewayHost;
import io.inboard.mesh.controlplane.internal.model.GatewayServer;
import io.inboard.mesh.controlplane.internal.model.ParsedResource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntUnaryOperator;

/**
 * The servers of every Gateway that selects one gateway workload, merged by port as Istio's
 * {@code mergeGateways} does: on one port, the plaintext HTTP servers of all those Gateways
 * share one listener chain and one RouteConfiguration ({@code http.<port>}), while each HTTPS
 * server gets its own chain, told apart by SNI, and its own RouteConfiguration. A server that
 * conflicts with one merged before it (plaintext and TLS on one port, or an SNI host another
 * TLS server of the port already has) is left out, as Istio does. Gateways are taken in the
 * order given (by namespace and name).
 */
final class GatewayPorts {

  /** One served server, with the Gateway it belongs to. */
  record Bound(ParsedResource.Gateway gateway, GatewayServer server, String routeName) {}

  /** What one listening port serves: plaintext servers, or TLS servers, never both. */
  record Port(int number, List<Bound> plaintext, List<Bound> tls) {}

  private final Map<Integer, Port> ports = new TreeMap<>();

  /**
   * @param gateways the Gateways that select the workload
   * @param resolvePort the port the workload listens on for a server port (a Service port of
   *     the workload becomes its target port, as Istio's {@code resolvePorts}); the identity
   *     when none applies
   */
  GatewayPorts(List<ParsedResource.Gateway> gateways, IntUnaryOperator resolvePort) {
    Map<Integer, Set<String>> sniHosts = new LinkedHashMap<>();
    for (ParsedResource.Gateway gw : gateways) {
      for (GatewayServer s : gw.servers()) {
        if (!s.served()) {
          continue;
        }
        int port = resolvePort.applyAsInt(s.port());
        Port p = ports.computeIfAbsent(port, n -> new Port(n, new ArrayList<>(),
            new ArrayList<>()));
        if (s.terminatesTls()) {
          Set<String> seen = sniHosts.computeIfAbsent(port, n -> new HashSet<>());
          if (!p.plaintext().isEmpty() || s.hosts().stream()
              .anyMatch(h -> seen.contains(h.dnsName()))) {
            continue;
          }
          s.hosts().stream().map(GatewayHost::dnsName).forEach(seen::add);
          // Istio names HTTPS routes by the server's own port number, not the resolved one
          p.tls().add(new Bound(gw, s, XdsNames.gatewayHttpsRoutes(s.port(), s.portName(),
              gw.id().name(), gw.id().namespace())));
        } else if (p.tls().isEmpty()) {
          p.plaintext().add(new Bound(gw, s, XdsNames.gatewayHttpRoutes(port)));
        }
      }
    }
    ports.values().removeIf(p -> p.plaintext().isEmpty() && p.tls().isEmpty());
  }

  /** The ports served, in ascending order. */
  List<Port> ports() {
    return List.copyOf(ports.values());
  }

  /** The servers of each RouteConfiguration, by name, in listener order. */
  Map<String, List<Bound>> byRouteName() {
    Map<String, List<Bound>> out = new LinkedHashMap<>();
    for (Port p : ports.values()) {
      for (Bound b : p.plaintext()) {
        out.computeIfAbsent(b.routeName(), n -> new ArrayList<>()).add(b);
      }
      for (Bound b : p.tls()) {
        out.computeIfAbsent(b.routeName(), n -> new ArrayList<>()).add(b);
      }
    }
    return out;
  }
}
