package io.inboard.mesh.testing.internal;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The fault knobs the kit's backends share: fail a given share of requests, answer late, or hold
 * every request until released. Thread-safe; a backend consults it once per request.
 *
 * <p>Failures are spread evenly and deterministically rather than drawn at random, so that a
 * test asserting "retries hide a 50 % failure rate" cannot fail by bad luck: with {@code
 * percent = p}, request {@code n} (counted from 1) fails when {@code floor(n*p/100)} grows.
 */
public final class FaultKnobs {
  private final AtomicInteger requests = new AtomicInteger();
  private volatile int failPercent;
  private volatile Duration delay = Duration.ZERO;
  private volatile CountDownLatch hold;

  /** Fails {@code percent} of requests from now on (0..100). */
  public void failPercent(int percent) {
    if (percent < 0 || percent > 100) {
      throw new IllegalArgumentException("failPercent: " + percent + " (expected: 0..100)");
    }
    failPercent = percent;
  }

  /** Answers every request after {@code delay} (zero: at once). */
  public void delay(Duration delay) {
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay: " + delay + " (expected: zero or positive)");
    }
    this.delay = delay;
  }

  /** Holds requests until {@link #release()} (at most 30 s, so a forgotten hold ends). */
  public void hold() {
    hold = new CountDownLatch(1);
  }

  /** Lets held requests go on and stops holding. */
  public void release() {
    CountDownLatch h = hold;
    hold = null;
    if (h != null) {
      h.countDown();
    }
  }

  /** Back to answering at once without failures; counts are kept. */
  public void reset() {
    failPercent = 0;
    delay = Duration.ZERO;
    release();
  }

  /** Counts one request and says whether it is to fail. */
  public boolean nextFails() {
    int n = requests.incrementAndGet();
    int p = failPercent;
    return p > 0 && (long) n * p / 100 > (long) (n - 1) * p / 100;
  }

  /** Requests counted by {@link #nextFails()}. */
  public int requests() {
    return requests.get();
  }

  /** The current delay. */
  public Duration currentDelay() {
    return delay;
  }

  /** Blocks the calling server thread while a hold is in force. */
  public void awaitRelease() {
    CountDownLatch h = hold;
    if (h == null) {
      return;
    }
    try {
      h.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
