package io.inboard.mesh.http.internal.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.inboard.mesh.api.policy.RetryOn;
import io.inboard.mesh.api.policy.RetryPolicy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

  private static final long MS = 1_000_000L;
  private final RetryPolicy policy = new RetryPolicy(10, Duration.ZERO,
      RetryOn.parse("5xx"), Duration.ofMillis(25), Duration.ofMillis(250));

  @Test
  void ceilingDoublesFromBaseUpToMax() {
    assertThat(Backoff.ceilingNanos(policy, 1)).isEqualTo(25 * MS);
    assertThat(Backoff.ceilingNanos(policy, 2)).isEqualTo(50 * MS);
    assertThat(Backoff.ceilingNanos(policy, 4)).isEqualTo(200 * MS);
    assertThat(Backoff.ceilingNanos(policy, 5)).isEqualTo(250 * MS);
    assertThat(Backoff.ceilingNanos(policy, 80)).isEqualTo(250 * MS);
  }

  @Test
  void delaysAreJitteredWithinZeroAndCeiling() {
    for (int retry = 1; retry <= 6; retry++) {
      long ceiling = Backoff.ceilingNanos(policy, retry);
      long min = Long.MAX_VALUE;
      long max = 0;
      for (int i = 0; i < 2000; i++) {
        long d = Backoff.delayNanos(policy, retry);
        assertThat(d).isBetween(0L, ceiling);
        min = Math.min(min, d);
        max = Math.max(max, d);
      }
      // Full jitter: 2000 uniform draws reach both ends' 10 % with near certainty.
      assertThat(min).isLessThan(ceiling / 10);
      assertThat(max).isGreaterThan(ceiling * 9 / 10);
    }
  }
}
