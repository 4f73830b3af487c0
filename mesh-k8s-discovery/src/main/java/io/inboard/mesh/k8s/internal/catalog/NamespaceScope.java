package io.inboard.mesh.k8s.internal.catalog;

import static java.util.Objects.requireNonNull;

import java.util.Set;

/**
 * Which namespaces a watch covers: every namespace, or the named ones.
 *
 * @param allNamespaces whether every namespace is watched (one informer per resource type, with
 *     cluster-wide {@code list} and {@code watch} permissions)
 * @param namespaces the watched namespaces when {@code allNamespaces} is false; empty when it is true
 */
public record NamespaceScope(boolean allNamespaces, Set<String> namespaces) {

  public NamespaceScope {
    namespaces = Set.copyOf(requireNonNull(namespaces, "namespaces"));
    if (allNamespaces && !namespaces.isEmpty()) {
      throw new IllegalArgumentException(
          "namespaces: " + namespaces + " (expected: none when all namespaces are watched)");
    }
    if (!allNamespaces && namespaces.isEmpty()) {
      throw new IllegalArgumentException(
          "namespaces: [] (expected: at least one namespace, or NamespaceScope.all())");
    }
    for (String n : namespaces) {
      if (n.isBlank() || n.contains("/") || n.equals("*")) {
        throw new IllegalArgumentException(
            "namespace: '" + n + "' (expected: a Kubernetes namespace name)");
      }
    }
  }

  /** Every namespace of the cluster. */
  public static NamespaceScope all() {
    return new NamespaceScope(true, Set.of());
  }

  /** Only these namespaces. */
  public static NamespaceScope of(String... namespaces) {
    return new NamespaceScope(false, Set.of(namespaces));
  }

  /** Only these namespaces. */
  public static NamespaceScope of(Set<String> namespaces) {
    return new NamespaceScope(false, namespaces);
  }

  /** Whether {@code namespace} is inside this scope. */
  public boolean contains(String namespace) {
    return allNamespaces || namespaces.contains(namespace);
  }
}
