package io.inboard.mesh.k8s.internal.catalog;

import static java.util.Objects.requireNonNull;

import io.inboard.mesh.api.ServiceName;
import io.inboard.mesh.api.discovery.Endpoint;
import io.inboard.mesh.api.discovery.ServiceEndpoints;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One port of a Service and every endpoint behind it.
 *
 * @param service the Service with this port's number and name ({@code ""} when unnamed)
 * @param endpoints every known endpoint, ready or not, ordered by address and port
 */
public record CatalogPort(ServiceName service, List<WorkloadEndpoint> endpoints) {

  public CatalogPort {
    requireNonNull(service, "service");
    endpoints = List.copyOf(requireNonNull(endpoints, "endpoints"));
  }

  /** The port's endpoints without workload identity, as {@code EndpointDiscovery} gives them. */
  public ServiceEndpoints serviceEndpoints() {
    return new ServiceEndpoints(service, endpoints.stream().map(WorkloadEndpoint::endpoint).toList());
  }

  /**
   * The endpoints new calls may go to, by the rule of {@link ServiceEndpoints#routable()}: the
   * ready ones, or, when none is ready, those still serving while terminating.
   */
  public List<WorkloadEndpoint> routable() {
    Set<Endpoint> routable = Set.copyOf(serviceEndpoints().routable());
    return endpoints.stream().filter(e -> routable.contains(e.endpoint()))
        .collect(Collectors.toUnmodifiableList());
  }
}
