package io.inboard.mesh.api.discovery;

import static java.util.Objects.requireNonNull;

import io.inboard.mesh.api.ServiceName;
import java.util.List;

/**
 * An immutable snapshot of one service port's endpoints, as discovery last saw them.
 *
 * @param service the service, with the port that was resolved
 * @param endpoints every known endpoint, ready or not
 */
public record ServiceEndpoints(ServiceName service, List<Endpoint> endpoints) {

  public ServiceEndpoints {
    requireNonNull(service, "service");
    endpoints = List.copyOf(requireNonNull(endpoints, "endpoints"));
  }

  /**
   * The endpoints new calls may go to: the ready ones; or, when none is ready, those still
   * serving while terminating. That fallback is what kube-proxy does, and it is what keeps a
   * rolling update of a one-replica service from dropping calls.
   */
  public List<Endpoint> routable() {
    List<Endpoint> ready = endpoints.stream().filter(Endpoint::ready).toList();
    if (!ready.isEmpty()) {
      return ready;
    }
    return endpoints.stream().filter(e -> e.serving() && e.terminating()).toList();
  }
}
