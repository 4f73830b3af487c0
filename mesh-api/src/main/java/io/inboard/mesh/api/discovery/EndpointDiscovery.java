package io.inboard.mesh.api.discovery;

import io.inboard.mesh.api.ServiceName;

/**
 * A source of service endpoints: the Kubernetes API, an xDS control plane, or a static list.
 *
 * <p>Implementations keep their state in memory and push changes to listeners; nothing here is
 * called on the per-call path except reading what listeners stored.
 */
public interface EndpointDiscovery extends AutoCloseable {

  /**
   * Starts watching {@code service}. The listener is called with the current state as soon as
   * it is known (possibly before this method returns) and again after every change.
   *
   * @return a handle that stops the watch; watches on the same service share one underlying
   *     watch
   */
  Subscription subscribe(ServiceName service, EndpointListener listener);

  /** Stops every watch and releases threads and connections. */
  @Override
  void close();

  /** A running watch. Closing it is idempotent. */
  interface Subscription extends AutoCloseable {
    @Override
    void close();
  }
}
