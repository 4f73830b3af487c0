package io.inboard.mesh.api.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PolicyModelTest {

  @Test
  void outlierEjectionLimitAllowsAtLeastOneEndpointAsEnvoyDoes() {
    OutlierDetectionPolicy od = OutlierDetectionPolicy.DEFAULT; // 10 %
    assertThat(od.maxEjected(3)).isEqualTo(1);
    assertThat(od.maxEjected(25)).isEqualTo(2);
    assertThat(od.maxEjected(0)).isZero();
    assertThat(OutlierDetectionPolicy.builder().maxEjectionPercent(0).build()
        .maxEjected(10)).isZero();
  }

  @Test
  void invalidValuesNameTheFieldAndTheExpectedRange() {
    assertThatThrownBy(() -> RetryPolicy.of(-1, Duration.ZERO, RetryOn.ISTIO_DEFAULT))
        .hasMessage("retries.attempts: -1 (expected: >= 0)");
    assertThatThrownBy(() -> new CircuitBreakerPolicy(150f, 10, 10, Duration.ofSeconds(1), 1))
        .hasMessage("circuitBreaker.failureRateThreshold: 150.0 (expected: > 0 and <= 100)");
    assertThatThrownBy(() -> OutlierDetectionPolicy.builder().baseEjectionTime(Duration.ZERO).build())
        .hasMessage("outlierDetection.baseEjectionTime: PT0S (expected: > 0)");
  }
}
