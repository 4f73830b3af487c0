package io.inboard.mesh.grpc.internal.pool;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * One daemon thread that times the deadlines of calls waiting for a slot, for channels whose
 * interceptors get no grpc scheduler (Kubernetes mode). The timers only end waiting calls; no
 * call work runs on it.
 */
final class PoolTimers {

  private PoolTimers() {}

  private static final class Holder {
    static final ScheduledExecutorService TIMER = create();

    private static ScheduledExecutorService create() {
      ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
        Thread thread = new Thread(r, "inboard-pool-timer");
        thread.setDaemon(true);
        return thread;
      });
      t.setRemoveOnCancelPolicy(true); // admitted calls cancel their timers: do not keep them
      return t;
    }
  }

  static ScheduledExecutorService get() {
    return Holder.TIMER;
  }
}
