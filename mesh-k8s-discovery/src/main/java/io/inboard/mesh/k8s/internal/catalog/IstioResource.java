package io.inboard.mesh.k8s.internal.catalog;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One Istio custom resource as read from the Kubernetes API.
 *
 * @param kind its kind
 * @param apiVersion the version it was read in, such as {@code networking.istio.io/v1}
 * @param namespace its namespace
 * @param name its name
 * @param document the resource as one document, as a YAML loader would return it (maps, lists,
 *     strings, numbers, booleans): {@code apiVersion}, {@code kind}, {@code metadata} with
 *     {@code name}, {@code namespace}, {@code labels} and {@code annotations}, and
 *     {@code spec}. Server-managed fields (resourceVersion, managedFields, status, ...) are
 *     left out, so that only a change of meaning changes it. It is handed to the control
 *     plane's parser as is, never turned back into text.
 */
public record IstioResource(
    IstioKind kind, String apiVersion, String namespace, String name,
    Map<String, Object> document) {

  public IstioResource {
    requireNonNull(kind, "kind");
    requireNonNull(apiVersion, "apiVersion");
    requireNonNull(namespace, "namespace");
    requireNonNull(name, "name");
    document = Collections.unmodifiableMap(
        new LinkedHashMap<>(requireNonNull(document, "document")));
  }

  /** Reads as in messages: {@code VirtualService default/reviews}. */
  public String displayName() {
    return kind.kind() + " " + namespace + "/" + name;
  }
}
