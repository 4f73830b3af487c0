package io.inboard.mesh.k8s.internal;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.inboard.mesh.api.ServiceName;
import io.inboard.mesh.api.discovery.Endpoint;
import io.inboard.mesh.k8s.internal.catalog.CatalogPort;
import io.inboard.mesh.k8s.internal.catalog.CatalogService;
import io.inboard.mesh.k8s.internal.catalog.NamespaceScope;
import io.inboard.mesh.k8s.internal.catalog.ServiceCatalog;
import io.inboard.mesh.k8s.internal.catalog.WorkloadEndpoint;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a {@link ServiceCatalog} from the informers' caches: every port of every Service,
 * resolved by {@link NamespaceWatch#resolve} exactly as a single subscription would be.
 */
final class CatalogResolver {

  private static final Logger log = LoggerFactory.getLogger(CatalogResolver.class);

  private CatalogResolver() {}

  /**
   * The catalog of {@code scope}, or {@code null} while any of {@code watches} has not synced.
   *
   * @param watches the watches covering {@code scope}: one over every namespace, or one per
   *     namespace of it
   */
  static ServiceCatalog catalog(NamespaceScope scope, List<NamespaceWatch> watches) {
    List<CatalogService> services = new ArrayList<>();
    for (NamespaceWatch watch : watches) {
      if (!watch.synced()) {
        return null;
      }
      for (Service s : watch.services()) {
        if (scope.contains(s.getMetadata().getNamespace())) {
          services.add(service(watch, s));
        }
      }
    }
    services.sort(Comparator.comparing(CatalogService::namespace)
        .thenComparing(CatalogService::name));
    return new ServiceCatalog(services);
  }

  private static CatalogService service(NamespaceWatch watch, Service s) {
    String name = s.getMetadata().getName();
    String namespace = s.getMetadata().getNamespace();
    List<CatalogPort> ports = new ArrayList<>();
    List<ServicePort> declared = s.getSpec() == null || s.getSpec().getPorts() == null
        ? List.of() : s.getSpec().getPorts();
    for (ServicePort p : declared) {
      ServiceName port;
      try {
        port = new ServiceName(name, namespace, Objects.requireNonNullElse(p.getPort(), 0),
            Objects.requireNonNullElse(p.getName(), ""));
      } catch (IllegalArgumentException e) {
        // the API server validates these; a port it let through that we cannot name is skipped
        log.debug("Skipping port of Service {}/{}: {}", namespace, name, e.getMessage());
        continue;
      }
      if (watch.resolve(port) instanceof Resolution.Resolved r) {
        List<WorkloadEndpoint> endpoints = r.endpoints().endpoints().stream()
            .map(e -> new WorkloadEndpoint(e, serviceAccount(watch, namespace, e)))
            .toList();
        ports.add(new CatalogPort(r.endpoints().service(), endpoints));
      }
    }
    return new CatalogService(name, namespace, ports);
  }

  private static String serviceAccount(NamespaceWatch watch, String namespace, Endpoint e) {
    if (e.podName().isEmpty()) {
      return "";
    }
    // resolve() keeps only endpoints whose pod it found, so the pod is known here
    Pod pod = watch.pod(namespace, e.podName());
    String account = pod == null || pod.getSpec() == null
        ? null : pod.getSpec().getServiceAccountName();
    return account == null || account.isEmpty() ? "default" : account;
  }
}
