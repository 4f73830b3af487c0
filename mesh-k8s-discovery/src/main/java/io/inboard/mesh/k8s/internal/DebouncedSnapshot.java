package io.inboard.mesh.k8s.internal;

import io.inboard.mesh.api.discovery.EndpointDiscovery;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A listener of whole snapshots (the service catalog, the Istio config). A change schedules one
 * evaluation {@code debounceMillis} later on the discovery thread; changes until then ride
 * along, so a burst of events (a rollout, a relist) gives one snapshot. The listener hears only
 * when the snapshot differs from the last one it got.
 *
 * @param <T> the snapshot, a value with equality
 */
final class DebouncedSnapshot<T> implements EndpointDiscovery.Subscription {

  private static final Logger log = LoggerFactory.getLogger(DebouncedSnapshot.class);

  private final String what;
  private final Supplier<T> compute;
  private final Consumer<T> listener;
  private final ScheduledExecutorService discoveryThread;
  private final long debounceMillis;
  private final Runnable onClose;
  private final AtomicBoolean pending = new AtomicBoolean();
  private volatile boolean closed;
  private T last; // discovery thread only

  /**
   * @param what names the snapshot in log messages
   * @param compute the snapshot now, or {@code null} while it is not known (informers syncing)
   */
  DebouncedSnapshot(String what, Supplier<T> compute, Consumer<T> listener,
      ScheduledExecutorService discoveryThread, long debounceMillis, Runnable onClose) {
    this.what = what;
    this.compute = compute;
    this.listener = listener;
    this.discoveryThread = discoveryThread;
    this.debounceMillis = debounceMillis;
    this.onClose = onClose;
  }

  /** Something the snapshot is computed from changed. Callable from any thread. */
  void changed() {
    if (closed || !pending.compareAndSet(false, true)) {
      return;
    }
    try {
      discoveryThread.schedule(this::evaluate, debounceMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException discoveryClosed) {
      pending.set(false);
    }
  }

  private void evaluate() {
    pending.set(false);
    if (closed) {
      return;
    }
    T now = compute.get();
    if (now == null || now.equals(last)) {
      return;
    }
    last = now;
    try {
      listener.accept(now);
    } catch (RuntimeException e) {
      log.warn("{} listener threw; it keeps receiving updates", what, e);
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
