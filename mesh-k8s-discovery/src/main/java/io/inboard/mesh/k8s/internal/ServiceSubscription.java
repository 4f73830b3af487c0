package io.inboard.mesh.k8s.internal;

import io.inboard.mesh.api.ServiceName;
import io.inboard.mesh.api.discovery.EndpointDiscovery;
import io.inboard.mesh.api.discovery.EndpointListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One listener's watch on one service. Only the discovery thread calls {@link #deliver}, which
 * is what keeps a listener's callbacks serialized.
 */
final class ServiceSubscription implements EndpointDiscovery.Subscription {

  private static final Logger log = LoggerFactory.getLogger(ServiceSubscription.class);

  private final ServiceName service;
  private final EndpointListener listener;
  private final Runnable onClose;
  private volatile boolean closed;
  private Resolution last; // discovery thread only

  ServiceSubscription(ServiceName service, EndpointListener listener, Runnable onClose) {
    this.service = service;
    this.listener = listener;
    this.onClose = onClose;
  }

  ServiceName service() {
    return service;
  }

  /** Tells the listener about {@code now}, unless it already knows. */
  void deliver(Resolution now) {
    if (closed || now.equals(last)) {
      return;
    }
    last = now;
    try {
      if (now instanceof Resolution.Resolved r) {
        listener.onEndpoints(r.endpoints());
      } else if (now instanceof Resolution.Failed f) {
        listener.onError(f.toException());
      }
    } catch (RuntimeException e) {
      log.warn("Endpoint listener for {} threw; it keeps receiving updates", service, e);
    }
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      onClose.run();
    }
  }
}
