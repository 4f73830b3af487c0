package io.inboard.mesh.controlplane.internal.ads;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a publication {@link Debounce}d: {@link #changed} after every change, and the
 * publication runs once the burst is over, on this scheduler's one daemon thread (or on the
 * caller's, when the debounce is {@link Debounce#immediate}).
 */
public final class PublishScheduler implements AutoCloseable {
  private final Debounce debounce;
  private final Runnable publish;
  private final ScheduledExecutorService timer;
  /** Held while a debounced publication runs, so that {@link #flush} waits for it. */
  private final Object publishing = new Object();
  // guarded by this
  private ScheduledFuture<?> pending;
  private long firstChangeNanos;
  private boolean closed;

  /**
   * @param publish what publishes; it must take its own lock, it runs on the timer thread or
   *     a flushing one, one at a time
   */
  public PublishScheduler(Debounce debounce, Runnable publish) {
    this.debounce = debounce;
    this.publish = publish;
    this.timer = debounce.immediate() ? null : Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "inboard-publish");
      t.setDaemon(true);
      return t;
    });
  }

  /** Notes a change: publishes now, or (re)arms the timer; returns whether a new burst began. */
  public boolean changed() {
    if (debounce.immediate()) {
      publish.run();
      return true;
    }
    synchronized (this) {
      if (closed) {
        return false;
      }
      long now = System.nanoTime();
      boolean first = pending == null;
      if (first) {
        firstChangeNanos = now;
      } else {
        pending.cancel(false);
      }
      long due = Math.min(now + debounce.after().toNanos(),
          firstChangeNanos + debounce.max().toNanos());
      pending = timer.schedule(this::fire, Math.max(0, due - now), TimeUnit.NANOSECONDS);
      return first;
    }
  }

  /**
   * Publishes now, on the caller's thread, if a publication is waiting out its debounce: for a
   * client that connects, which should get the newest config rather than wait for it.
   */
  public void flush() {
    // a publication the timer started may still run: wait for it, it is what the client needs
    synchronized (publishing) {
      synchronized (this) {
        if (closed || pending == null) {
          return;
        }
        pending.cancel(false);
        pending = null;
      }
      publish.run();
    }
  }

  private void fire() {
    synchronized (publishing) {
      synchronized (this) {
        if (closed || pending == null) {
          return;
        }
        pending = null;
      }
      publish.run();
    }
  }

  /** Drops a pending publication and stops the timer. */
  @Override
  public synchronized void close() {
    closed = true;
    if (timer != null) {
      timer.shutdownNow();
    }
  }
}
