package io.inboard.mesh.controlplane;

import static java.util.Objects.requireNonNull;

/**
 * Identifies one configuration resource, as Kubernetes does: kind, namespace and name.
 *
 * @param kind the resource kind, for example {@code VirtualService}
 * @param namespace the namespace ({@code default} when the resource names none)
 * @param name the resource name
 */
public record ResourceId(String kind, String namespace, String name) {
  public ResourceId {
    requireNonNull(kind, "kind");
    requireNonNull(namespace, "namespace");
    requireNonNull(name, "name");
  }

  /** Reads as in error messages: {@code VirtualService default/reviews}. */
  @Override
  public String toString() {
    return kind + " " + namespace + "/" + name;
  }
}
