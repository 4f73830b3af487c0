package io.inboard.mesh.http.internal.xds;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.HealthStatus;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.inboard.mesh.api.ServiceName;
import io.inboard.mesh.api.discovery.Endpoint;
import io.inboard.mesh.api.discovery.ServiceEndpoints;
import io.inboard.mesh.api.policy.ClientPolicy;
import io.inboard.mesh.http.internal.resilience.Destination;
import io.inboard.mesh.http.internal.tls.UpstreamIdentities;
import io.inboard.mesh.http.internal.tls.UpstreamTls;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;

/**
 * One xDS cluster ({@code outbound|<port>|<subset>|<fqdn>}): its CDS policy and EDS endpoints
 * feeding a {@link Destination} (picker, pool limits, outlier ejection, circuit breaker). A
 * policy change builds a new destination (endpoint ejection state starts over); an endpoint
 * change updates the current one in place. Updates run on the xDS thread, one at a time.
 * Each endpoint's zone comes from its EDS locality; the destination prefers the client's zone.
 *
 * <p>TLS: the cluster's {@code transport_socket} is parsed with its policy ({@link
 * XdsUpstreamTls}); a change of either builds a new destination. For the mesh's mTLS, the
 * endpoints and the SPIFFE IDs they may present go to {@link UpstreamIdentities} before the
 * destination is published, so a call never reaches an endpoint its handshake cannot check.
 */
final class XdsCluster {

  private final String name;
  private final ServiceName service;
  private final ClientPolicy clientLayer;
  private final BiFunction<ClientPolicy, UpstreamTls, Destination> destinations;
  private final UpstreamIdentities identities;
  private final String zone;
  private final CompletableFuture<Destination> ready = new CompletableFuture<>();
  // Read by calls: set only once the destination has had its endpoints, so a call never sees
  // a destination without a snapshot.
  private volatile Destination usable;
  // xDS thread only: the destination for the latest CDS policy, and the latest EDS endpoints.
  private Destination latest;
  private ClientPolicy policy;
  private UpstreamTls tls;
  private ServiceEndpoints endpoints;

  /**
   * @param zone the client's own zone: its endpoints take calls while any is available (see
   *     {@link io.inboard.mesh.http.internal.lb.EndpointSet#preferZone}); {@code ""} for no preference
   */
  XdsCluster(String name, ServiceName service, ClientPolicy clientLayer,
      BiFunction<ClientPolicy, UpstreamTls, Destination> destinations, String zone,
      UpstreamIdentities identities) {
    this.identities = identities;
    this.name = name;
    this.zone = zone;
    this.service = service;
    this.clientLayer = clientLayer;
    this.destinations = destinations;
  }

  /** The service port a cluster named {@code outbound|port|subset|fqdn} belongs to. */
  static ServiceName serviceOf(String cluster) {
    String[] parts = cluster.split("\\|", -1);
    if (parts.length == 4) {
      String[] labels = parts[3].split("\\.");
      if (labels.length >= 2) {
        return ServiceName.of(labels[0], labels[1], Integer.parseInt(parts[1]));
      }
    }
    return ServiceName.of(cluster.replaceAll("[^a-z0-9-]", "-"), "default");
  }

  /** Checks {@code c} as {@link #onCluster} would take it; returns the problem, or null. */
  static String problem(Cluster c) {
    try {
      XdsClusterPolicy.of(c, ClientPolicy.EMPTY);
      XdsUpstreamTls.of(c);
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  /** Checks an endpoint assignment; returns the problem, or null. */
  static String problem(ClusterLoadAssignment cla) {
    for (LocalityLbEndpoints l : cla.getEndpointsList()) {
      for (LbEndpoint e : l.getLbEndpointsList()) {
        if (!e.getEndpoint().getAddress().hasSocketAddress()) {
          return "endpoints of cluster '" + cla.getClusterName() + "': address "
              + e.getEndpoint().getAddress().getAddressCase() + " (expected: socket_address)";
        }
      }
    }
    return null;
  }

  void onCluster(Cluster c) {
    ClientPolicy p = XdsClusterPolicy.of(c, clientLayer);
    UpstreamTls t = XdsUpstreamTls.of(c);
    if (p.equals(policy) && t.equals(tls)) {
      return;
    }
    policy = p;
    tls = t;
    if (latest != null && latest != usable) {
      latest.close(); // never published: nothing calls it
    }
    Destination d = destinations.apply(p, t);
    d.endpoints().preferZone(zone);
    latest = d;
    if (endpoints != null) {
      publish(d);
    }
  }

  void onEndpoints(ClusterLoadAssignment cla) {
    List<Endpoint> list = new ArrayList<>();
    for (LocalityLbEndpoints l : cla.getEndpointsList()) {
      for (LbEndpoint e : l.getLbEndpointsList()) {
        var sa = e.getEndpoint().getAddress().getSocketAddress();
        HealthStatus h = e.getHealthStatus();
        boolean ready = h == HealthStatus.HEALTHY || h == HealthStatus.UNKNOWN;
        list.add(new Endpoint(sa.getAddress(), sa.getPortValue(), ready, ready,
            h == HealthStatus.DRAINING, "", l.getLocality().getZone(), Map.of()));
      }
    }
    endpoints = new ServiceEndpoints(service, list);
    if (latest != null) {
      publish(latest);
    }
  }

  private void publish(Destination d) {
    if (tls instanceof UpstreamTls.IstioMutual m) {
      identities.update(name, m.subjectAltNames(), endpoints.endpoints());
    } else {
      identities.remove(name);
    }
    d.endpoints().onEndpoints(endpoints);
    usable = d;
    ready.complete(d);
  }

  /** Fails the first calls' wait when the bound passes; later config still takes effect. */
  void timedOut(Throwable error) {
    ready.completeExceptionally(error);
  }

  /** Stops the gauges of its destinations (the client is closing). */
  void close() {
    Destination l = latest;
    Destination u = usable;
    if (l != null) {
      l.close();
    }
    if (u != null && u != l) {
      u.close();
    }
  }

  /** The destination, or {@code null} before both CDS and EDS arrived. */
  Destination destination() {
    return usable;
  }

  CompletableFuture<Destination> ready() {
    return ready;
  }

  String name() {
    return name;
  }

  ServiceName service() {
    return service;
  }
}
