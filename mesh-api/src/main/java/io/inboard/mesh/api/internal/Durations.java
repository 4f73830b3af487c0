package io.inboard.mesh.api.internal;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses durations as Istio and Envoy write them: {@code 500ms}, {@code 1.5s}, {@code 2m},
 * {@code 1h}, {@code 250us}. A bare number is rejected because its unit would be a guess.
 */
public final class Durations {

  private static final Pattern TEXT = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

  private Durations() {}

  /**
   * Parses {@code text}.
   *
   * @param field the field being parsed, named in the error (for example {@code retry.perTryTimeout})
   * @throws IllegalArgumentException {@code field: text (expected: ...)}
   */
  public static Duration parse(String field, String text) {
    Matcher m = TEXT.matcher(text == null ? "" : text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          field + ": '" + text + "' (expected: a duration such as 250ms, 1.5s, 2m or 1h)");
    }
    double value = Double.parseDouble(m.group(1));
    double nanos = switch (m.group(2)) {
      case "ns" -> value;
      case "us", "µs" -> value * 1e3;
      case "ms" -> value * 1e6;
      case "s" -> value * 1e9;
      case "m" -> value * 60e9;
      default -> value * 3600e9;
    };
    return Duration.ofNanos(Math.round(nanos));
  }

  /** Formats the way {@link #parse} reads: {@code 250ms}, {@code 3s}, {@code 1.5s}. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (d.toNanos() % 1_000_000 != 0) {
      return d.toNanos() / 1000 + "us";
    }
    if (ms % 1000 == 0) {
      return ms / 1000 + "s";
    }
    return ms + "ms";
  }

  /** Checks that {@code d} is positive, naming {@code field} otherwise. */
  public static Duration requirePositive(String field, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(field + ": " + d + " (expected: > 0)");
    }
    return d;
  }

  /** Checks that {@code d} is zero or positive, naming {@code field} otherwise. */
  public static Duration requireNonNegative(String field, Duration d) {
    if (d == null || d.isNegative()) {
      throw new IllegalArgumentException(field + ": " + d + " (expected: >= 0)");
    }
    return d;
  }
}
