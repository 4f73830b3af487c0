package io.inboard.mesh.controlplane.kubernetes;

import io.inboard.mesh.controlplane.ControlPlane;
import io.inboard.mesh.controlplane.ServiceEndpoint;
import io.inboard.mesh.k8s.CatalogPort;
import io.inboard.mesh.k8s.CatalogService;
import io.inboard.mesh.k8s.ServiceCatalog;
import io.inboard.mesh.k8s.ServiceCatalogListener;
import io.inboard.mesh.k8s.WorkloadEndpoint;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the control plane's registered endpoints equal to the routable endpoints of every
 * Service port in the catalog: registers what is new and deregisters what is gone, so that an
 * unchanged endpoint is never withdrawn, even for a moment. Called on the discovery thread only.
 */
final class EndpointSync implements ServiceCatalogListener {

  private static final Logger log = LoggerFactory.getLogger(EndpointSync.class);

  private final ControlPlane controlPlane;
  private final String clusterDomain;
  private volatile Set<ServiceEndpoint> registered = Set.of();
  private final Set<String> warned = new HashSet<>();

  EndpointSync(ControlPlane controlPlane, String clusterDomain) {
    this.controlPlane = controlPlane;
    this.clusterDomain = clusterDomain;
  }

  @Override
  public void onCatalog(ServiceCatalog catalog) {
    Set<ServiceEndpoint> wanted = new LinkedHashSet<>();
    for (CatalogService service : catalog.services()) {
      String host = service.fqdn(clusterDomain);
      for (CatalogPort port : service.ports()) {
        for (WorkloadEndpoint e : port.routable()) {
          if (e.endpoint().port() != port.service().port()) {
            warnTargetPort(service, port, e);
            continue;
          }
          wanted.add(new ServiceEndpoint(host, port.service().port(), e.endpoint().address(),
              e.endpoint().labels()));
        }
      }
    }
    // make before break: add the new endpoints first
    for (ServiceEndpoint e : wanted) {
      if (!registered.contains(e)) {
        controlPlane.register(e);
      }
    }
    for (ServiceEndpoint e : registered) {
      if (!wanted.contains(e)) {
        controlPlane.deregister(e);
      }
    }
    registered = Set.copyOf(wanted);
  }

  /** The endpoints registered now. Callable from any thread. */
  Set<ServiceEndpoint> registered() {
    return registered;
  }

  /**
   * The control plane serves an endpoint on the service port it was registered under, so an
   * endpoint listening elsewhere cannot be registered without sending clients to a wrong port.
   */
  private void warnTargetPort(CatalogService service, CatalogPort port, WorkloadEndpoint e) {
    String key = service.namespace() + "/" + service.name() + ":" + port.service().port() + "->"
        + e.endpoint().port();
    if (warned.add(key)) {
      log.warn("Service {}/{} port {}: targetPort: {} (expected: equal to the service port, since"
          + " the control plane serves endpoints on the service port); its endpoints on port {}"
          + " are not served", service.namespace(), service.name(), port.service().port(),
          e.endpoint().port(), e.endpoint().port());
    }
  }
}
