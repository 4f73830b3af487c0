package io.inboard.mesh.controlplane.internal.model;

import io.inboard.mesh.controlplane.ServiceEndpoint;
import io.inboard.mesh.controlplane.ServicePort;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Everything the translator reads: accepted Istio resources, the known service ports and the
 * registered endpoints. Resources are sorted by id and service ports by host and port, so that
 * translation is deterministic.
 *
 * @param services every service port to serve; the service ports of {@code endpoints} are
 *     added when missing
 * @param peerAuthentications the PeerAuthentications among {@code resources}, oldest first: by
 *     {@code creationTimestamp} (ties by name) where known, and otherwise (local mode) in the
 *     order {@code resources} lists them, the order they were first applied
 */
public record MeshConfig(List<ParsedResource> resources, List<ServicePort> services,
    List<ServiceEndpoint> endpoints,
    List<ParsedResource.PeerAuthentication> peerAuthentications) {

  /**
   * {@code resources} in the order they were first applied, which orders PeerAuthentications
   * that carry no creation time.
   */
  public MeshConfig(List<ParsedResource> resources, List<ServicePort> services,
      List<ServiceEndpoint> endpoints) {
    this(resources, services, endpoints, oldestFirst(resources));
  }

  public MeshConfig {
    peerAuthentications = List.copyOf(peerAuthentications);
    resources = resources.stream()
        .sorted(Comparator.comparing((ParsedResource r) -> r.id().namespace())
            .thenComparing(r -> r.id().name()).thenComparing(r -> r.id().kind()))
        .toList();
    endpoints = List.copyOf(endpoints);
    // distinct by hash, then sorted: a TreeSet of every endpoint's port was a top frame
    services = Stream.concat(services.stream(),
        endpoints.stream().map(ServiceEndpoint::servicePort)).distinct().sorted().toList();
  }

  /** The service ports of {@code endpoints} only. */
  public MeshConfig(List<ParsedResource> resources, List<ServiceEndpoint> endpoints) {
    this(resources, List.of(), endpoints);
  }

  private static List<ParsedResource.PeerAuthentication> oldestFirst(
      List<ParsedResource> inApplyOrder) {
    List<ParsedResource.PeerAuthentication> all = inApplyOrder.stream()
        .filter(r -> r instanceof ParsedResource.PeerAuthentication)
        .map(r -> (ParsedResource.PeerAuthentication) r).toList();
    Comparator<ParsedResource.PeerAuthentication> byTime = Comparator.comparing(
        (ParsedResource.PeerAuthentication pa) -> pa.created().orElseThrow())
        .thenComparing(pa -> pa.id().namespace()).thenComparing(pa -> pa.id().name());
    // timed ones (Kubernetes) first by time, untimed ones (local mode) after, in apply order
    return Stream.concat(
        all.stream().filter(pa -> pa.created().isPresent()).sorted(byTime),
        all.stream().filter(pa -> pa.created().isEmpty())).toList();
  }

  /** The stored Secret {@code id} names (kind {@code Secret}), if any. */
  public Optional<ParsedResource.Secret> secret(io.inboard.mesh.controlplane.ResourceId id) {
    return resources.stream()
        .filter(r -> r instanceof ParsedResource.Secret && r.id().equals(id))
        .map(r -> (ParsedResource.Secret) r)
        .findFirst();
  }
}
