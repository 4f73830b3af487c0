package io.inboard.mesh.k8s;

import static java.util.Objects.requireNonNull;

/**
 * One Istio custom resource as read from the Kubernetes API.
 *
 * @param kind its kind
 * @param apiVersion the version it was read in, such as {@code networking.istio.io/v1}
 * @param namespace its namespace
 * @param name its name
 * @param yaml the resource as one YAML document: {@code apiVersion}, {@code kind},
 *     {@code metadata} with {@code name}, {@code namespace}, {@code labels} and
 *     {@code annotations}, and {@code spec}. Server-managed fields (resourceVersion,
 *     managedFields, status, ...) are left out, so that only a change of meaning changes it.
 */
public record IstioResource(
    IstioKind kind, String apiVersion, String namespace, String name, String yaml) {

  public IstioResource {
    requireNonNull(kind, "kind");
    requireNonNull(apiVersion, "apiVersion");
    requireNonNull(namespace, "namespace");
    requireNonNull(name, "name");
    requireNonNull(yaml, "yaml");
  }

  /** Reads as in messages: {@code VirtualService default/reviews}. */
  public String displayName() {
    return kind.kind() + " " + namespace + "/" + name;
  }
}
