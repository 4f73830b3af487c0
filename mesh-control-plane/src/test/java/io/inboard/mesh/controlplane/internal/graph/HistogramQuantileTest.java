package io.inboard.mesh.controlplane.internal.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class HistogramQuantileTest {
  private static final double INF = Double.POSITIVE_INFINITY;

  @Test
  void interpolatesWithinTheBucketHoldingTheRank() {
    // 100 observations, all in (5, 10]: rank 95 is 95% into that bucket
    assertThat(HistogramQuantile.of(0.95, Map.of(5.0, 0.0, 10.0, 100.0, INF, 100.0)))
        .isCloseTo(9.75, within(1e-9));
    // 50 in [0, 1], 50 in (1, 5]: the median is the top of the first bucket
    assertThat(HistogramQuantile.of(0.5, Map.of(1.0, 50.0, 5.0, 100.0, INF, 100.0)))
        .isCloseTo(1.0, within(1e-9));
    // the first bucket starts at 0
    assertThat(HistogramQuantile.of(0.5, Map.of(10.0, 10.0, INF, 10.0)))
        .isCloseTo(5.0, within(1e-9));
  }

  @Test
  void rankInTheInfiniteBucket_answersTheHighestFiniteBound() {
    assertThat(HistogramQuantile.of(0.95, Map.of(25.0, 50.0, 50.0, 90.0, INF, 100.0)))
        .isEqualTo(50.0);
  }

  @Test
  void noObservationsOrNoInfiniteBucket_isNaN() {
    assertThat(HistogramQuantile.of(0.95, Map.of(5.0, 0.0, INF, 0.0))).isNaN();
    assertThat(HistogramQuantile.of(0.95, Map.of(5.0, 3.0))).isNaN();
    assertThat(HistogramQuantile.of(0.95, Map.of())).isNaN();
  }
}
