package io.inboard.mesh.security.internal.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RenewalTimingTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void renewsAtHalfTheLifeLeftOnArrival_withinOnePercentJitter() {
    Instant expiry = NOW.plus(Duration.ofHours(24));

    assertThat(RenewalTiming.renewAfter(NOW, expiry, 0.5)).isEqualTo(Duration.ofHours(12));
    assertThat(RenewalTiming.renewAfter(NOW, expiry, 0.0))
        .isEqualTo(Duration.ofMinutes(12 * 60 + 14).plusSeconds(24)); // ratio 0.49
    assertThat(RenewalTiming.renewAfter(NOW, expiry, 0.999999))
        .isBetween(Duration.ofMinutes(11 * 60 + 45), Duration.ofMinutes(11 * 60 + 46));
  }

  @Test
  void expiredOnArrival_renewsAtOnce() {
    assertThat(RenewalTiming.renewAfter(NOW, NOW.minusSeconds(1), 0.5)).isZero();
  }

  @Test
  void retries_backOffExponentially_cappedAtAQuarterOfTheLifetime_between1And30Seconds() {
    Duration day = Duration.ofHours(24);
    assertThat(RenewalTiming.retryAfter(1, day, 0.5)).isEqualTo(Duration.ofMillis(500));
    assertThat(RenewalTiming.retryAfter(2, day, 0.5)).isEqualTo(Duration.ofSeconds(1));
    assertThat(RenewalTiming.retryAfter(4, day, 0.5)).isEqualTo(Duration.ofSeconds(4));
    assertThat(RenewalTiming.retryAfter(40, day, 0.5)).isEqualTo(Duration.ofSeconds(30));
    assertThat(RenewalTiming.retryAfter(40, Duration.ofSeconds(2), 0.5))
        .isEqualTo(Duration.ofSeconds(1));
    assertThat(RenewalTiming.retryAfter(40, Duration.ofMinutes(1), 0.5))
        .isEqualTo(Duration.ofSeconds(15));
    // ±20% jitter
    assertThat(RenewalTiming.retryAfter(40, day, 0.0)).isEqualTo(Duration.ofSeconds(24));
  }
}
