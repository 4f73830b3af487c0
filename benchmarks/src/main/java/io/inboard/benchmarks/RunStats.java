package io.inboard.benchmarks;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The arithmetic the overhead reports share over their runs (one {@code key=value} map per
 * measured run): medians, ranges, number parsing and locale-independent formatting.
 */
public final class RunStats {
  private RunStats() {}

  /** The median of {@code f} over {@code runs}; NaN when there are none. */
  public static double median(List<Map<String, String>> runs,
      ToDoubleFunction<Map<String, String>> f) {
    double[] v = runs.stream().mapToDouble(f).sorted().toArray();
    if (v.length == 0) {
      return Double.NaN;
    }
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  /** The median of {@code v}; NaN when empty. */
  public static double medianOf(List<Double> v) {
    double[] s = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    if (s.length == 0) {
      return Double.NaN;
    }
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  public static double min(List<Double> v) {
    return v.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
  }

  public static double max(List<Double> v) {
    return v.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
  }

  /** {@code run}'s value of {@code key} as a number; NaN when absent. */
  public static double num(Map<String, String> run, String key) {
    String v = run.get(key);
    return v == null ? Double.NaN : Double.parseDouble(v);
  }

  /** {@code v} formatted with {@code format} in the root locale (dots, not commas). */
  public static String fmt(String format, double v) {
    return String.format(Locale.ROOT, format, v);
  }
}
