package io.inboard.mesh.controlplane.internal.source;

import io.inboard.mesh.controlplane.EndpointUpdate;
import io.inboard.mesh.controlplane.ServiceEndpoint;
import io.inboard.mesh.controlplane.ServicePort;
import io.inboard.mesh.controlplane.internal.ControlPlaneEngine;
import io.inboard.mesh.k8s.internal.catalog.CatalogPort;
import io.inboard.mesh.k8s.internal.catalog.CatalogService;
import io.inboard.mesh.k8s.internal.catalog.ServiceCatalog;
import io.inboard.mesh.k8s.internal.catalog.ServiceCatalogListener;
import io.inboard.mesh.k8s.internal.catalog.WorkloadEndpoint;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Keeps the engine's service ports and endpoints equal to the catalog's: every Service
 * port is declared (served even with no endpoints), and its routable endpoints registered on
 * their target ports. Each catalog becomes one {@link EndpointUpdate} holding only the
 * differences, so that clients get one update per change and an unchanged endpoint is never
 * withdrawn, even for a moment. Called on the discovery thread only.
 */
public final class EndpointSync implements ServiceCatalogListener {

  private final ControlPlaneEngine engine;
  private final String clusterDomain;
  private volatile Set<ServiceEndpoint> registered = Set.of();
  private volatile Set<ServicePort> declared = Set.of();

  public EndpointSync(ControlPlaneEngine engine, String clusterDomain) {
    this.engine = engine;
    this.clusterDomain = clusterDomain;
  }

  @Override
  public void onCatalog(ServiceCatalog catalog) {
    Set<ServicePort> ports = new LinkedHashSet<>();
    Set<ServiceEndpoint> wanted = new LinkedHashSet<>();
    for (CatalogService service : catalog.services()) {
      String host = service.fqdn(clusterDomain);
      for (CatalogPort port : service.ports()) {
        int servicePort = port.service().port();
        ports.add(new ServicePort(host, servicePort));
        for (WorkloadEndpoint e : port.routable()) {
          wanted.add(new ServiceEndpoint(host, servicePort, e.endpoint().address(),
              e.endpoint().port(), e.endpoint().labels(), e.serviceAccount(),
              e.endpoint().zone()));
        }
      }
    }
    engine.update(EndpointUpdate.builder()
        .forget(declared.stream().filter(p -> !ports.contains(p)).toList())
        .declare(ports.stream().filter(p -> !declared.contains(p)).toList())
        .deregister(registered.stream().filter(e -> !wanted.contains(e)).toList())
        .register(wanted.stream().filter(e -> !registered.contains(e)).toList())
        .build());
    registered = Set.copyOf(wanted);
    declared = Set.copyOf(ports);
  }

  /** The endpoints registered now. Callable from any thread. */
  public Set<ServiceEndpoint> registered() {
    return registered;
  }

  /** The service ports declared now. Callable from any thread. */
  public Set<ServicePort> declared() {
    return declared;
  }
}
