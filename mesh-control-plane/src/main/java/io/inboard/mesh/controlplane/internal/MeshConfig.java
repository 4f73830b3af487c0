package io.inboard.mesh.controlplane.internal;

import io.inboard.mesh.controlplane.ServiceEndpoint;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Everything the translator reads: accepted Istio resources and registered endpoints. Lists are
 * sorted by resource id so that translation is deterministic.
 */
public record MeshConfig(List<IstioResource> resources, List<ServiceEndpoint> endpoints) {

  public MeshConfig {
    resources = resources.stream()
        .sorted(Comparator.comparing((IstioResource r) -> r.id().namespace())
            .thenComparing(r -> r.id().name()).thenComparing(r -> r.id().kind()))
        .toList();
    endpoints = List.copyOf(endpoints);
  }

  /** The VirtualService mesh clients use for {@code fqdn}: the first that covers it. */
  public Optional<IstioResource.VirtualService> virtualServiceFor(String fqdn) {
    return resources.stream()
        .filter(r -> r instanceof IstioResource.VirtualService)
        .map(r -> (IstioResource.VirtualService) r)
        .filter(vs -> vs.appliesToMesh() && vs.hosts().stream().anyMatch(h -> Hosts.covers(h, fqdn)))
        .findFirst();
  }

  /** The DestinationRule for {@code fqdn}: the first whose host is exactly it. */
  public Optional<IstioResource.DestinationRule> destinationRuleFor(String fqdn) {
    return resources.stream()
        .filter(r -> r instanceof IstioResource.DestinationRule)
        .map(r -> (IstioResource.DestinationRule) r)
        .filter(dr -> dr.policy().host().equals(fqdn))
        .findFirst();
  }
}
