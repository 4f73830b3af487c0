package io.inboard.benchmarks;

import java.util.Arrays;

/** Nearest-rank percentiles of a set of times, in milliseconds. */
final class Percentiles {
  private final long[] sorted;

  Percentiles(long[] nanos) {
    if (nanos.length == 0) {
      throw new IllegalArgumentException("nanos: [] (expected: at least one sample)");
    }
    this.sorted = nanos.clone();
    Arrays.sort(sorted);
  }

  /** The {@code p}-th percentile ({@code 0 < p <= 100}) in ms, nearest rank. */
  double ms(double p) {
    int rank = (int) Math.ceil(p / 100 * sorted.length);
    return sorted[Math.max(0, rank - 1)] / 1e6;
  }

  double maxMs() {
    return sorted[sorted.length - 1] / 1e6;
  }

  int count() {
    return sorted.length;
  }
}
