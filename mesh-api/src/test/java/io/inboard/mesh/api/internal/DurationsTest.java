package io.inboard.mesh.api.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

  @Test
  void parsesIstioDurations() {
    assertThat(Durations.parse("f", "250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(Durations.parse("f", "1.5s")).isEqualTo(Duration.ofMillis(1500));
    assertThat(Durations.parse("f", "2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(Durations.parse("f", "1h")).isEqualTo(Duration.ofHours(1));
    assertThat(Durations.parse("f", "100us")).isEqualTo(Duration.ofNanos(100_000));
  }

  @Test
  void bareNumbersAndGarbageAreRejectedNamingTheField() {
    assertThatThrownBy(() -> Durations.parse("timeout", "3"))
        .hasMessage("timeout: '3' (expected: a duration such as 250ms, 1.5s, 2m or 1h)");
    assertThatThrownBy(() -> Durations.parse("timeout", "soon"))
        .hasMessageStartingWith("timeout: 'soon'");
  }

  @Test
  void formatRoundTrips() {
    for (String s : new String[] {"250ms", "3s", "1500ms", "100us"}) {
      assertThat(Durations.format(Durations.parse("f", s))).isEqualTo(s);
    }
  }
}
