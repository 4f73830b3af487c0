package io.inboard.mesh.controlplane.internal.graph;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the {@code duration} parameter of {@code /api/v1/graph}: {@code 60s}, {@code 5m}. */
final class GraphWindow {
  private static final Pattern DURATION = Pattern.compile("(\\d{1,6})(s|m|h)?");

  private GraphWindow() {}

  /**
   * The window {@code raw} names: a whole number of seconds ({@code 60} or {@code 60s}),
   * minutes ({@code 5m}) or hours ({@code 1h}), at least 1 s and at most {@code max}.
   *
   * @throws IllegalArgumentException naming the parameter, the value and what was expected
   */
  static Duration parse(String raw, Duration max) {
    Matcher m = DURATION.matcher(raw.trim());
    Duration d = null;
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      d = switch (m.group(2) == null ? "s" : m.group(2)) {
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofSeconds(n);
      };
    }
    if (d == null || d.isZero() || d.compareTo(max) > 0) {
      throw new IllegalArgumentException("duration: '" + raw + "' (expected: 1s.."
          + max.toSeconds() + "s, as seconds, 60s, 5m or 1h)");
    }
    return d;
  }
}
