package io.inboard.mesh.http.internal.xds;

import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.inboard.mesh.api.ServiceName;
import io.inboard.mesh.api.policy.ClientPolicy;
import io.inboard.mesh.http.internal.route.XdsFault;
import io.inboard.mesh.http.internal.route.XdsRouteTable;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One host {@code <fqdn>:<port>}: its Listener (an api_listener whose HttpConnectionManager
 * names a route config over RDS, or holds one inline) and the route table compiled from that
 * route config. Updates run on the xDS thread; calls read {@link #table()}.
 */
final class XdsHost {

  private static final Set<String> KNOWN_FILTERS =
      Set.of(XdsFault.FILTER, "envoy.filters.http.router");

  private final String name;
  private final ServiceName service;
  private final ClientPolicy clientLayer;
  private final CompletableFuture<XdsRouteTable> ready = new CompletableFuture<>();
  private volatile XdsRouteTable table;
  private String routeConfigName;

  XdsHost(String name, ServiceName service, ClientPolicy clientLayer) {
    this.name = name;
    this.service = service;
    this.clientLayer = clientLayer;
  }

  /** The listener's connection manager, checked; throws naming the field it cannot accept. */
  static HttpConnectionManager connectionManager(Listener l) {
    String field = "listener '" + l.getName() + "'";
    if (!l.hasApiListener()) {
      throw new IllegalArgumentException(field + " api_listener: not set (expected: an"
          + " HttpConnectionManager, as for proxyless clients)");
    }
    HttpConnectionManager hcm;
    try {
      hcm = l.getApiListener().getApiListener().unpack(HttpConnectionManager.class);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException(field + " api_listener: "
          + l.getApiListener().getApiListener().getTypeUrl() + " (expected: HttpConnectionManager)");
    }
    for (int i = 0; i < hcm.getHttpFiltersCount(); i++) {
      HttpFilter f = hcm.getHttpFilters(i);
      if (!KNOWN_FILTERS.contains(f.getName()) && !f.getIsOptional()) {
        throw new IllegalArgumentException(field + " http_filters[" + i + "]: '" + f.getName()
            + "' (expected: one of " + KNOWN_FILTERS + ", or is_optional)");
      }
    }
    if (!hcm.hasRds() && !hcm.hasRouteConfig()) {
      throw new IllegalArgumentException(field + " route_specifier: "
          + hcm.getRouteSpecifierCase() + " (expected: rds or route_config)");
    }
    return hcm;
  }

  /**
   * Takes a new listener; returns the route config name to watch over RDS (null when the routes
   * are inline, or when the name did not change).
   */
  String onListener(Listener l, java.util.function.Consumer<XdsRouteTable> bind) {
    HttpConnectionManager hcm = connectionManager(l);
    if (hcm.hasRouteConfig()) {
      routeConfigName = null;
      onRoutes(hcm.getRouteConfig(), bind);
      return null;
    }
    String rds = hcm.getRds().getRouteConfigName();
    if (rds.equals(routeConfigName)) {
      return null;
    }
    routeConfigName = rds;
    return rds;
  }

  void onRoutes(RouteConfiguration rc, java.util.function.Consumer<XdsRouteTable> bind) {
    XdsRouteTable t = XdsRouteTable.compile(rc, name, clientLayer);
    bind.accept(t);
    table = t;
    ready.complete(t);
  }

  void timedOut(Throwable error) {
    ready.completeExceptionally(error);
  }

  /** The routes, or {@code null} before the first route config. */
  XdsRouteTable table() {
    return table;
  }

  CompletableFuture<XdsRouteTable> ready() {
    return ready;
  }

  String routeConfigName() {
    return routeConfigName;
  }

  String name() {
    return name;
  }

  ServiceName service() {
    return service;
  }
}
