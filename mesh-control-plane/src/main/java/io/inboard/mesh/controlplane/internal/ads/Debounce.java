package io.inboard.mesh.controlplane.internal.ads;

import java.time.Duration;

/**
 * How long a change waits before it is published, so that a burst of changes (a rolling
 * update, a directory of files saved together, a Kubernetes resync) becomes one push: as
 * istiod's {@code PILOT_DEBOUNCE_AFTER} and {@code PILOT_DEBOUNCE_MAX}.
 *
 * <p>A change is published once {@code after} has passed without a further change, and at the
 * latest {@code max} after the first change of the burst, so that a steady stream of changes
 * still goes out. Defaults: 100 ms and 1 s, read from the system properties {@code
 * inboard.controlplane.debounceAfterMs} and {@code inboard.controlplane.debounceMaxMs}
 * (milliseconds). istiod waits up to 10 s; Inboard's target is every client ACKed within 1 s
 * of a change, so a burst is cut at 1 s. {@code after} 0 publishes every change at once, on
 * the caller's thread.
 *
 * @param after the quiet time after the last change, not negative
 * @param max the longest a change waits, at least {@code after}
 */
public record Debounce(Duration after, Duration max) {
  /** The system property holding {@code after}, in milliseconds. */
  public static final String AFTER_PROPERTY = "inboard.controlplane.debounceAfterMs";
  /** The system property holding {@code max}, in milliseconds. */
  public static final String MAX_PROPERTY = "inboard.controlplane.debounceMaxMs";
  /** 100 ms quiet time, 1 s at most. */
  public static final Debounce DEFAULT = new Debounce(Duration.ofMillis(100), Duration.ofSeconds(1));
  /** Every change published at once. */
  public static final Debounce NONE = new Debounce(Duration.ZERO, Duration.ZERO);

  public Debounce {
    if (after.isNegative() || max.compareTo(after) < 0) {
      throw new IllegalArgumentException("debounce: after " + after + ", max " + max
          + " (expected: 0 <= after <= max)");
    }
  }

  /** Whether changes are published at once. */
  public boolean immediate() {
    return after.isZero();
  }

  /** {@link #DEFAULT}, with what the system properties set. */
  public static Debounce fromSystemProperties() {
    long after = Long.getLong(AFTER_PROPERTY, DEFAULT.after.toMillis());
    long max = Long.getLong(MAX_PROPERTY, Math.max(after, DEFAULT.max.toMillis()));
    return new Debounce(Duration.ofMillis(after), Duration.ofMillis(max));
  }
}
