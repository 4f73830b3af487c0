package io.inboard.mesh.testing.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** Thread pools of daemon threads, so a backend a test forgot to close never holds the JVM. */
public final class DaemonPool {
  private DaemonPool() {}

  /** A cached pool whose threads are named {@code <name>-<n>}. */
  public static ExecutorService cached(String name) {
    AtomicInteger n = new AtomicInteger();
    return Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }
}
