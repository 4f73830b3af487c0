package io.inboard.mesh.controlplane.internal.translate;

import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.inboard.mesh.controlplane.ServicePort;
import io.inboard.mesh.controlplane.internal.model.ParsedResource;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The mesh RouteConfigurations of one caller label set, its mirror listeners, and each service
 * port's routes with what they were built from, for the next translation to keep.
 */
record MeshRoutes(List<RouteConfiguration> routeConfigs, List<Listener> mirrorListeners,
    Map<ServicePort, ServiceRoutes> byService) {

  /**
   * One service port's routes for one caller label set: built from its VirtualService (empty:
   * the default route) and what {@code reads} noted, before ({@code routes}) and after empty
   * clusters were aborted ({@code config}).
   */
  record ServiceRoutes(Optional<ParsedResource.VirtualService> virtualService,
      List<RouteReads.Read> reads, List<Route> routes, RouteConfiguration config) {

    /**
     * Whether these routes are those that {@code virtualService} and {@code in} give: the
     * same VirtualService, and every read answering the same.
     */
    boolean sameFor(Optional<ParsedResource.VirtualService> virtualService, RouteInputs in) {
      return this.virtualService.equals(virtualService) && RouteReads.holdIn(reads, in);
    }
  }
}
