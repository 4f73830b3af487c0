package io.inboard.mesh.http.internal.resilience;

import io.inboard.mesh.api.policy.RetryPolicy;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Envoy's fully jittered exponential backoff: before retry {@code n} (1-based) the client waits
 * a uniformly random time in {@code [0, min(baseBackoff * 2^(n-1), maxBackoff)]}. Full jitter
 * spreads the retries of many clients that failed at the same moment.
 */
final class Backoff {

  private Backoff() {}

  /** The upper bound of the wait before retry {@code retry} (1-based), in nanoseconds. */
  static long ceilingNanos(RetryPolicy policy, int retry) {
    long base = policy.baseBackoff().toNanos();
    long max = policy.maxBackoff().toNanos();
    int shift = Math.min(Math.max(retry - 1, 0), 62);
    long ceiling = base << shift;
    // A shift that overflowed (or went past the cap) is simply the cap.
    return (ceiling >>> shift) != base || ceiling > max || ceiling <= 0 ? max : ceiling;
  }

  /** A random wait before retry {@code retry} (1-based), in nanoseconds. */
  static long delayNanos(RetryPolicy policy, int retry) {
    long ceiling = ceilingNanos(policy, retry);
    return ThreadLocalRandom.current().nextLong(ceiling + 1);
  }
}
