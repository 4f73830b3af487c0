package io.inboard.mesh.http.internal.route;

import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.inboard.mesh.api.policy.ClientPolicy;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A gateway's route config (one RDS name), compiled when it changes: every virtual host's
 * routes, selected per request by the request's authority (see {@link VirtualHosts}). A call
 * only reads it.
 *
 * @param hosts the virtual hosts by domain
 * @param clusters every cluster the routes of every virtual host name, mirrors' included
 */
public record GatewayRouteTable(VirtualHosts<GatewayVirtualHost> hosts, Set<String> clusters) {

  /**
   * One virtual host.
   *
   * @param name the virtual host's name, for messages
   * @param table its routes
   * @param requireTls whether a request that came over plaintext is redirected to
   *     {@code https} ({@code require_tls} {@code ALL} or {@code EXTERNAL_ONLY}: every request
   *     reaching a gateway is external)
   */
  public record GatewayVirtualHost(String name, XdsRouteTable table, boolean requireTls) {}

  /** The virtual host for {@code authority}, or {@code null} (Envoy answers 404 then). */
  public GatewayVirtualHost virtualHost(String authority) {
    return hosts.select(authority);
  }

  /**
   * Compiles {@code config}, with {@code client} as the layer below the control plane's.
   *
   * @throws IllegalArgumentException naming the route config, virtual host, route and field the
   *     gateway cannot honour
   */
  public static GatewayRouteTable compile(RouteConfiguration config, ClientPolicy client) {
    XdsRouteTable.checkConfigLevel(config);
    VirtualHosts.Builder<GatewayVirtualHost> b = VirtualHosts.builder();
    Set<String> clusters = new LinkedHashSet<>();
    for (VirtualHost vh : config.getVirtualHostsList()) {
      XdsRouteTable table = XdsRouteTable.compileVirtualHost(config, vh, client);
      clusters.addAll(table.clusters());
      boolean requireTls = switch (vh.getRequireTls()) {
        case NONE -> false;
        case ALL, EXTERNAL_ONLY -> true;
        default -> throw new IllegalArgumentException("route config '" + config.getName()
            + "' virtual host '" + vh.getName() + "' require_tls: " + vh.getRequireTls()
            + " (expected: NONE, EXTERNAL_ONLY or ALL)");
      };
      GatewayVirtualHost host = new GatewayVirtualHost(vh.getName(), table, requireTls);
      for (String d : vh.getDomainsList()) {
        try {
          b.add(d, host);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("route config '" + config.getName()
              + "' virtual host '" + vh.getName() + "' domains: " + e.getMessage(), e);
        }
      }
    }
    return new GatewayRouteTable(b.build(), Set.copyOf(clusters));
  }
}
