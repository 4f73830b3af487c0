package io.inboard.mesh.controlplane.internal.graph;

import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Prometheus's {@code histogram_quantile}: the quantile of cumulative bucket counts by upper
 * bound ({@code le}), interpolated linearly within the bucket that holds the rank. A rank in the
 * {@code +Inf} bucket answers the highest finite bound; the first bucket starts at 0.
 */
final class HistogramQuantile {
  private HistogramQuantile() {}

  /**
   * The {@code q} quantile (0..1) of {@code cumulative} (upper bound to count of observations
   * at or below it), or {@code NaN} when there are no observations or no {@code +Inf} bucket.
   */
  static double of(double q, Map<Double, Double> cumulative) {
    NavigableMap<Double, Double> buckets = new TreeMap<>(cumulative);
    if (buckets.isEmpty() || buckets.lastKey() != Double.POSITIVE_INFINITY) {
      return Double.NaN;
    }
    // as Prometheus: counts that fall (float noise, a reset seen by one series) are raised
    double running = 0;
    for (Map.Entry<Double, Double> e : buckets.entrySet()) {
      running = Math.max(running, e.getValue());
      e.setValue(running);
    }
    double total = buckets.lastEntry().getValue();
    if (total <= 0 || Double.isNaN(q)) {
      return Double.NaN;
    }
    double rank = Math.max(0, Math.min(1, q)) * total;
    double lower = 0;
    double countBelow = 0;
    for (Map.Entry<Double, Double> e : buckets.entrySet()) {
      double upper = e.getKey();
      double count = e.getValue();
      if (count >= rank) {
        if (upper == Double.POSITIVE_INFINITY) {
          Double highestFinite = buckets.lowerKey(upper);
          return highestFinite == null ? Double.NaN : highestFinite;
        }
        if (count == countBelow) {
          return upper;
        }
        return lower + (upper - lower) * (rank - countBelow) / (count - countBelow);
      }
      lower = upper;
      countBelow = count;
    }
    return Double.NaN;
  }
}
