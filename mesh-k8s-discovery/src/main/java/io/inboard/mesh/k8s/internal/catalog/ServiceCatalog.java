package io.inboard.mesh.k8s.internal.catalog;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * An immutable snapshot of every Service in the watched namespaces, with its ports and their
 * endpoints, as the informers last saw them.
 *
 * @param services the Services, ordered by namespace, then name
 */
public record ServiceCatalog(List<CatalogService> services) {

  public ServiceCatalog {
    services = List.copyOf(requireNonNull(services, "services"));
  }

  /** The Service {@code namespace/name}, if the catalog holds it. */
  public Optional<CatalogService> service(String name, String namespace) {
    return services.stream()
        .filter(s -> s.name().equals(name) && s.namespace().equals(namespace))
        .findFirst();
  }
}
