package io.inboard.mesh.http.internal.transport;

import io.inboard.mesh.http.internal.resilience.AdmissionControl;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Threads for blocking sends (see {@link Transport}): a thread is started only when none is
 * idle, reused afterwards and retired after 30 s idle, so the count follows peak concurrency.
 * At most {@code maxInFlight} sends run at once; more wait in a queue.
 */
public final class BlockingSends {

  private final ExecutorService threads = new ThreadPoolExecutor(0, Integer.MAX_VALUE,
      30, TimeUnit.SECONDS, new SynchronousQueue<>(), new DaemonThreads("inboard-http-send-"));
  private final AdmissionControl slots;

  public BlockingSends(int maxInFlight) {
    this.slots = new AdmissionControl(maxInFlight, Integer.MAX_VALUE);
  }

  /** Runs {@code send} on a pool thread once a slot is free; it must call {@link #done()}. */
  void submit(Runnable send) {
    slots.admit(() -> threads.execute(send));
  }

  /** Frees the slot of a finished send. */
  void done() {
    slots.release();
  }

  public void shutdown() {
    threads.shutdownNow();
  }
}
