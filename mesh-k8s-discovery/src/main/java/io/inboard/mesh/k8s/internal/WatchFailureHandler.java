package io.inboard.mesh.k8s.internal;

import io.fabric8.kubernetes.client.informers.ExceptionHandler;
import java.util.function.BooleanSupplier;

/**
 * Decides what an informer does when a list or watch fails: report it, and retry (the informer
 * then waits with exponential backoff) for as long as discovery is open. fabric8's default gives
 * up on some errors before the first sync; a mesh must instead keep serving its last known
 * endpoints and keep trying.
 */
final class WatchFailureHandler implements ExceptionHandler {

  private final String resource;
  private final String namespace;
  private final WatchFailures failures;
  private final BooleanSupplier open;

  WatchFailureHandler(String resource, String namespace, WatchFailures failures,
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
    failures.record(resource, namespace, t.toString());
    return true;
  }
}
