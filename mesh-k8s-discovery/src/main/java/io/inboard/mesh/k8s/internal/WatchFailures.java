package io.inboard.mesh.k8s.internal;

import io.fabric8.kubernetes.client.informers.ExceptionHandler;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/** Counts list/watch failures across a discovery's informers, so tests and metrics can see them. */
final class WatchFailures {

  private final AtomicLong count = new AtomicLong();
  private final BooleanSupplier open;

  WatchFailures(BooleanSupplier open) {
    this.open = open;
  }

  ExceptionHandler handler(String resource, String namespace) {
    return new WatchFailureHandler(resource, namespace, count, open);
  }

  long count() {
    return count.get();
  }
}
