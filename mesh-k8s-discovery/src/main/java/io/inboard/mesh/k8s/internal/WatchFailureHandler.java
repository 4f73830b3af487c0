package io.inboard.mesh.k8s.internal;

import io.fabric8.kubernetes.client.informers.ExceptionHandler;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what an informer does when listing or watching fails: log a warning that names the
 * resource and namespace, and retry (the informer then waits with exponential backoff) for as
 * long as discovery is open. fabric8's default gives up on some errors before the first sync;
 * a mesh must instead keep serving its last known endpoints and keep trying.
 */
final class WatchFailureHandler implements ExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(WatchFailureHandler.class);

  private final String resource;
  private final String namespace;
  private final AtomicLong failures;
  private final BooleanSupplier open;

  WatchFailureHandler(String resource, String namespace, AtomicLong failures,
      BooleanSupplier open) {
    this.resource = resource;
    this.namespace = namespace;
    this.failures = failures;
    this.open = open;
  }

  @Override
  public boolean retryAfterException(boolean isStarted, Throwable t) {
    if (!open.getAsBoolean()) {
      return false;
    }
    failures.incrementAndGet();
    log.warn("Kubernetes API: watching {} in namespace '{}' failed; keeping the last known"
        + " endpoints and retrying with backoff: {}", resource, namespace, t.toString());
    return true;
  }
}
