package io.inboard.benchmarks;

import java.util.Arrays;

/** Nearest-rank percentiles of a set of times, in milliseconds. */
public final class Percentiles {
  private final long[] sorted;

  public Percentiles(long[] nanos) {
    if (nanos.length == 0) {
      throw new IllegalArgumentException("nanos: [] (expected: at least one sample)");
    }
    this.sorted = nanos.clone();
    Arrays.sort(sorted);
  }

  /** The {@code p}-th percentile ({@code 0 < p <= 100}) in ms, nearest rank. */
  public double ms(double p) {
    int rank = (int) Math.ceil(p / 100 * sorted.length);
    return sorted[Math.max(0, rank - 1)] / 1e6;
  }

  public double maxMs() {
    return sorted[sorted.length - 1] / 1e6;
  }

  public int count() {
    return sorted.length;
  }
}
