package io.inboard.mesh.api.policy;

import java.time.Duration;

/**
 * The duration checks the policy records share, kept package-private here so that the records need no import; the parser and
 * formatter live in {@link io.inboard.mesh.api.internal.Durations}.
 */
final class Durations {

  private Durations() {}

  static Duration requirePositive(String field, Duration d) {
    return io.inboard.mesh.api.internal.Durations.requirePositive(field, d);
  }

  static Duration requireNonNegative(String field, Duration d) {
    return io.inboard.mesh.api.internal.Durations.requireNonNegative(field, d);
  }

  static String format(Duration d) {
    return io.inboard.mesh.api.internal.Durations.format(d);
  }
}
