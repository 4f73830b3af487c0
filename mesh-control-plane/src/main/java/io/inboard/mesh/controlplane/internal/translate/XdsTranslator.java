package io.inboard.mesh.controlplane.internal.translate;

import com.google.protobuf.Any;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.Locality;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.ApiListener;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.inboard.mesh.controlplane.ServiceEndpoint;
import io.inboard.mesh.controlplane.ServicePort;
import io.inboard.mesh.controlplane.internal.model.DestinationPolicy;
import io.inboard.mesh.controlplane.internal.model.MeshConfig;
import io.inboard.mesh.controlplane.internal.model.ParsedResource;
import io.inboard.mesh.controlplane.internal.model.Subset;
import io.inboard.mesh.controlplane.internal.model.TrafficPolicy;
import io.inboard.mesh.controlplane.internal.model.WeightedDestination;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Translates a {@link MeshConfig} to xDS for grpc-xds clients. Every known service port gets a
 * Listener, a RouteConfiguration and clusters (all endpoints, plus one per DestinationRule
 * subset), named by {@link XdsNames} after the service port. Each cluster's
 * ClusterLoadAssignment lists its endpoints on their target ports; a service port with no
 * endpoints keeps its resources with an empty assignment, and its routes abort with
 * UNAVAILABLE (see {@link EmptyServiceRoutes}), so that clients fail fast rather than wait for a
 * resource that does not exist or call workloads that are gone.
 */
public final class XdsTranslator {

  /** The resources served to a caller with no labels. */
  public XdsResources translate(MeshConfig config) {
    return translate(config, Map.of());
  }

  /**
   * The resources served to a caller with {@code sourceLabels}: a VirtualService match
   * alternative with {@code sourceLabels} is included only when the caller carries all of them.
   * Only the routes depend on the caller; listeners, clusters and assignments do not.
   */
  public XdsResources translate(MeshConfig config, Map<String, String> sourceLabels) {
    Map<ServicePort, List<ServiceEndpoint>> services = new TreeMap<>();
    for (ServicePort sp : config.services()) {
      services.put(sp, new ArrayList<>());
    }
    for (ServiceEndpoint e : config.endpoints()) {
      services.computeIfAbsent(e.servicePort(), k -> new ArrayList<>()).add(e);
    }
    RouteTranslator routes = new RouteTranslator(
        (d, port) -> XdsNames.cluster(destinationPort(d, port, services), d.subset(), d.host()),
        (fqdn, subset) -> policyOf(config, fqdn, subset).loadBalancer(), sourceLabels);

    List<Listener> listeners = new ArrayList<>();
    List<RouteConfiguration> routeConfigs = new ArrayList<>();
    List<Cluster> clusters = new ArrayList<>();
    List<ClusterLoadAssignment> assignments = new ArrayList<>();
    services.forEach((sp, endpoints) -> {
      Optional<DestinationPolicy> dr = config.destinationRuleFor(sp.host())
          .map(ParsedResource.DestinationRule::policy);
      addCluster(clusters, assignments, sp, "", Map.of(),
          dr.map(DestinationPolicy::trafficPolicy).orElse(TrafficPolicy.EMPTY), endpoints);
      for (Subset s : dr.map(DestinationPolicy::subsets).orElse(List.of())) {
        addCluster(clusters, assignments, sp, s.name(), s.labels(),
            dr.get().effectivePolicy(s.name()), endpoints);
      }
    });
    Set<String> empty = assignments.stream().filter(a -> a.getEndpointsCount() == 0)
        .map(ClusterLoadAssignment::getClusterName).collect(Collectors.toSet());
    services.keySet().forEach(sp -> {
      String name = XdsNames.listener(sp.host(), sp.port());
      listeners.add(listener(name));
      List<Route> rs = config.virtualServiceFor(sp.host())
          .map(vs -> routes.translate(vs.http(), vs.extras(), sp.port()))
          .orElseGet(() -> List.of(routes.defaultRoute(sp.host(), sp.port())));
      VirtualHost vh = VirtualHost.newBuilder().setName(name).addDomains(sp.host())
          .addDomains(name).addAllRoutes(EmptyServiceRoutes.abortWhereEmpty(rs, empty)).build();
      routeConfigs.add(RouteConfiguration.newBuilder().setName(name).addVirtualHosts(vh).build());
    });
    return new XdsResources(listeners, routeConfigs, clusters, assignments);
  }

  private static void addCluster(List<Cluster> clusters, List<ClusterLoadAssignment> assignments,
      ServicePort sp, String subset, Map<String, String> labels, TrafficPolicy policy,
      List<ServiceEndpoint> endpoints) {
    String name = XdsNames.cluster(sp.port(), subset, sp.host());
    clusters.add(ClusterTranslator.cluster(name, policy));
    // one locality per zone (endpoints of unknown zone share the zone-less one), weighted by its
    // endpoint count as istiod does; grpc-xds drops a locality without load_balancing_weight
    Map<String, LocalityLbEndpoints.Builder> localities = new TreeMap<>();
    for (ServiceEndpoint e : endpoints) {
      if (e.labels().entrySet().containsAll(labels.entrySet())) {
        // the cluster is named after the service port; the endpoint listens on its target port
        localities.computeIfAbsent(e.zone(), z -> LocalityLbEndpoints.newBuilder()
            .setLocality(Locality.newBuilder().setZone(z)))
            .addLbEndpoints(LbEndpoint.newBuilder().setEndpoint(Endpoint.newBuilder()
                .setAddress(Address.newBuilder().setSocketAddress(SocketAddress.newBuilder()
                    .setAddress(e.address()).setPortValue(e.targetPort())))));
      }
    }
    ClusterLoadAssignment.Builder cla = ClusterLoadAssignment.newBuilder().setClusterName(name);
    localities.values().forEach(l -> cla.addEndpoints(
        l.setLoadBalancingWeight(UInt32Value.of(l.getLbEndpointsCount()))));
    assignments.add(cla.build());
  }

  private static Listener listener(String name) {
    HttpConnectionManager hcm = HttpConnectionManager.newBuilder()
        .setRds(Rds.newBuilder().setRouteConfigName(name).setConfigSource(ClusterTranslator.ADS))
        // the fault filter reads per-route config; the router must come last or grpc-xds
        // rejects the listener
        .addHttpFilters(HttpFilter.newBuilder().setName(RouteTranslator.FAULT_FILTER)
            .setTypedConfig(Any.pack(HTTPFault.getDefaultInstance())))
        .addHttpFilters(HttpFilter.newBuilder().setName("envoy.filters.http.router")
            .setTypedConfig(Any.pack(Router.getDefaultInstance())))
        .build();
    return Listener.newBuilder().setName(name)
        .setApiListener(ApiListener.newBuilder().setApiListener(Any.pack(hcm))).build();
  }

  /** The port of a destination: as written, else the listener's, else the host's only port. */
  private static int destinationPort(WeightedDestination d, int listenerPort,
      Map<ServicePort, List<ServiceEndpoint>> services) {
    if (d.port() != 0) {
      return d.port();
    }
    if (services.keySet().stream()
        .anyMatch(sp -> sp.host().equals(d.host()) && sp.port() == listenerPort)) {
      return listenerPort;
    }
    List<Integer> ports = services.keySet().stream()
        .filter(sp -> sp.host().equals(d.host())).map(ServicePort::port).toList();
    return ports.size() == 1 ? ports.get(0) : listenerPort;
  }

  private static TrafficPolicy policyOf(MeshConfig config, String fqdn, String subset) {
    return config.destinationRuleFor(fqdn).map(dr -> dr.policy().effectivePolicy(subset))
        .orElse(TrafficPolicy.EMPTY);
  }

}
