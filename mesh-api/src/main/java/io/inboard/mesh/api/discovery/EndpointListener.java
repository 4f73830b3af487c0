package io.inboard.mesh.api.discovery;

import io.inboard.mesh.api.ServiceUnavailableException;

/**
 * Receives a service's endpoints from an {@link EndpointDiscovery}.
 *
 * <p>Callbacks arrive on a discovery thread, one at a time per subscription, and must not
 * block: precompute what calls need and return.
 */
public interface EndpointListener {

  /** The service's endpoints changed (or were first discovered). */
  void onEndpoints(ServiceEndpoints endpoints);

  /**
   * The service cannot be resolved: it or its namespace does not exist, or its port is
   * unknown. Later updates may recover it; until then callers should fail fast with
   * {@code error}.
   */
  void onError(ServiceUnavailableException error);
}
