package io.inboard.mesh.controlplane.internal.translate;

import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.inboard.mesh.controlplane.internal.model.GatewayHost;
import io.inboard.mesh.controlplane.internal.model.Hosts;
import io.inboard.mesh.controlplane.internal.model.ParsedResource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A gateway workload's RouteConfigurations, as Istio's {@code buildGatewayHTTPRouteConfig}
 * builds them. For each server of a RouteConfiguration, every VirtualService bound to the
 * server's Gateway whose hosts intersect the server's (a server host admits VirtualServices of
 * its namespace part only) adds its routes, translated by the same {@link RouteTranslator} as
 * for mesh clients, to one VirtualHost per intersecting host (the more specific of the two
 * hosts): named {@code <host>:<port>}, with domains {@code <host>} and {@code <host>:<port>}.
 * Several VirtualServices for one host are merged in order, with their catch-all routes moved
 * last. The virtual hosts of an {@code httpsRedirect} server require TLS, and such a server
 * gets a virtual host for each of its hosts even with no route, so that plaintext requests are
 * redirected. A host no VirtualService routes gets no virtual host: the gateway answers 404.
 */
final class GatewayRoutes {
  private GatewayRoutes() {}

  /**
   * @param virtualServices every VirtualService, in resource order
   * @param routesAt the route translator for the gateway {@code namespace/name}
   * @param finish applied to each VirtualService's translated routes (routes to clusters with
   *     no endpoints abort, as for mesh clients)
   */
  static List<RouteConfiguration> of(GatewayPorts ports,
      List<ParsedResource.VirtualService> virtualServices,
      Function<String, RouteTranslator> routesAt, Function<List<Route>, List<Route>> finish) {
    List<RouteConfiguration> out = new ArrayList<>();
    Map<String, List<Route>> translated = new HashMap<>();
    ports.byRouteName().forEach((name, servers) -> {
      Map<String, VirtualHost.Builder> hosts = new LinkedHashMap<>();
      Map<String, Boolean> merged = new HashMap<>();
      Set<String> added = new HashSet<>();
      for (GatewayPorts.Bound b : servers) {
        String gateway = b.gateway().qualifiedName();
        int port = b.server().port();
        for (ParsedResource.VirtualService vs : virtualServices) {
          if (!vs.gateways().contains(gateway)) {
            continue;
          }
          List<String> shared = Hosts.shared(b.server().hosts(), vs.id().namespace(),
              vs.hosts());
          if (shared.isEmpty()) {
            continue;
          }
          List<Route> routes = translated.computeIfAbsent(gateway + "|" + port + "|" + vs.id(),
              k -> finish.apply(routesAt.apply(gateway).translate(vs.http(), vs.extras(),
                  port)));
          for (String host : shared) {
            if (!added.add(host + "|" + gateway + "|" + vs.id())) {
              continue; // two servers of one Gateway on this port share the host
            }
            VirtualHost.Builder vh = hosts.get(host);
            if (vh == null) {
              vh = virtualHost(host, port);
              hosts.put(host, vh);
            } else {
              merged.put(host, true);
            }
            vh.addAllRoutes(routes);
            if (b.server().httpsRedirect()) {
              vh.setRequireTls(VirtualHost.TlsRequirementType.ALL);
            }
          }
        }
        if (b.server().httpsRedirect()) {
          // redirected before routing, so a host with no route still needs its virtual host
          for (GatewayHost h : b.server().hosts()) {
            hosts.computeIfAbsent(h.dnsName(), k -> virtualHost(k, port))
                .setRequireTls(VirtualHost.TlsRequirementType.ALL);
          }
        }
      }
      RouteConfiguration.Builder rc = RouteConfiguration.newBuilder().setName(name)
          // clients send the port they dialled, which need not be the server's
          .setIgnorePortInHostMatching(true);
      hosts.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
        if (merged.containsKey(e.getKey())) {
          List<Route> sorted = catchAllLast(e.getValue().getRoutesList());
          e.getValue().clearRoutes().addAllRoutes(sorted);
        }
        rc.addVirtualHosts(e.getValue());
      });
      out.add(rc.build());
    });
    return out;
  }

  private static VirtualHost.Builder virtualHost(String host, int port) {
    VirtualHost.Builder vh = VirtualHost.newBuilder().setName(host + ":" + port)
        .addDomains(host);
    if (!host.equals("*")) {
      vh.addDomains(host + ":" + port);
    }
    return vh;
  }

  /** Istio's {@code SortVHostRoutes}: routes that match everything go last, in order. */
  private static List<Route> catchAllLast(List<Route> routes) {
    List<Route> out = new ArrayList<>();
    List<Route> catchAll = new ArrayList<>();
    for (Route r : routes) {
      var m = r.getMatch();
      boolean all = m.hasPrefix() && (m.getPrefix().isEmpty() || m.getPrefix().equals("/"))
          && m.getHeadersCount() == 0 && m.getQueryParametersCount() == 0;
      (all ? catchAll : out).add(r);
    }
    out.addAll(catchAll);
    return out;
  }
}
