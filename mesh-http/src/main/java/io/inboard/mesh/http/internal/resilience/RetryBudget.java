package io.inboard.mesh.http.internal.resilience;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Istio's {@code connectionPool.http.maxRetries}: the most retries outstanding to a destination
 * at once. A retry is outstanding from the moment it is scheduled until its try completes; a
 * call that finds the budget spent returns its last result instead of retrying, as Envoy does.
 */
public final class RetryBudget {

  private final int max;
  private final AtomicInteger outstanding = new AtomicInteger();

  RetryBudget(int max) {
    this.max = max;
  }

  boolean tryAcquire() {
    while (true) {
      int n = outstanding.get();
      if (n >= max) {
        return false;
      }
      if (outstanding.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  void release() {
    outstanding.decrementAndGet();
  }

  int outstanding() {
    return outstanding.get();
  }
}
