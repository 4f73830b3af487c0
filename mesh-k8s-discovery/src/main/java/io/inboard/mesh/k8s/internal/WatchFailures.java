package io.inboard.mesh.k8s.internal;

import io.fabric8.kubernetes.client.informers.ExceptionHandler;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports list/watch failures across a discovery's informers: a WARNING naming the resource
 * type and namespace, and a count that tests (and later metrics) can read.
 */
final class WatchFailures {

  private static final Logger log = LoggerFactory.getLogger(WatchFailures.class);

  private final AtomicLong count = new AtomicLong();
  private final BooleanSupplier open;

  WatchFailures(BooleanSupplier open) {
    this.open = open;
  }

  /** The informer exception handler for one resource type in one namespace. */
  ExceptionHandler handler(String resource, String namespace) {
    return new WatchFailureHandler(resource, namespace, this, open);
  }

  void record(String resource, String namespace, String what) {
    count.incrementAndGet();
    log.warn("Kubernetes API: watching {} in namespace '{}' failed ({}); keeping the last known"
        + " endpoints and retrying with backoff", resource, namespace, what);
  }

  void recovered(String resource, String namespace) {
    log.info("Kubernetes API: watching {} in namespace '{}' again", resource, namespace);
  }

  long count() {
    return count.get();
  }
}
