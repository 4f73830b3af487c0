package io.inboard.mesh.k8s.internal.catalog;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One Service and its ports.
 *
 * @param name the Service's name
 * @param namespace its namespace
 * @param ports its ports in the Service's order, each with its endpoints
 */
public record CatalogService(String name, String namespace, List<CatalogPort> ports) {

  public CatalogService {
    requireNonNull(name, "name");
    requireNonNull(namespace, "namespace");
    ports = List.copyOf(requireNonNull(ports, "ports"));
  }

  /** {@code <name>.<namespace>.svc.<clusterDomain>}, the host clients call it by. */
  public String fqdn(String clusterDomain) {
    return name + "." + namespace + ".svc." + requireNonNull(clusterDomain, "clusterDomain");
  }
}
