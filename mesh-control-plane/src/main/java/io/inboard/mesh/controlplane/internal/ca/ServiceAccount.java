package io.inboard.mesh.controlplane.internal.ca;

import static java.util.Objects.requireNonNull;

/** A caller's proven identity: a Kubernetes service account. */
public record ServiceAccount(String namespace, String name) {
  public ServiceAccount {
    requireNonNull(namespace, "namespace");
    requireNonNull(name, "name");
  }

  @Override
  public String toString() {
    return namespace + "/" + name;
  }
}
