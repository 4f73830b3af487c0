package io.inboard.mesh.k8s.internal.catalog;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * An immutable snapshot of the Istio resources in the watched namespaces.
 *
 * @param resources every resource, ordered by kind (in {@link IstioKind} order), namespace and
 *     name
 */
public record IstioConfig(List<IstioResource> resources) {

  public IstioConfig {
    resources = List.copyOf(requireNonNull(resources, "resources"));
  }
}
