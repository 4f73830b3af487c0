package io.inboard.mesh.api.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
  void subsetPolicyOverridesHostPolicyFieldByField() {
    TrafficPolicy host = new TrafficPolicy(Optional.of(LoadBalancerPolicy.ROUND_ROBIN),
        Optional.of(ConnectionPoolSettings.DEFAULT), Optional.empty());
    LoadBalancerPolicy random = new LoadBalancerPolicy.Simple(LoadBalancerPolicy.Simple.Kind.RANDOM);
    Subset v2 = new Subset("v2", Map.of("version", "v2"),
        new TrafficPolicy(Optional.of(random), Optional.empty(), Optional.empty()));
    DestinationPolicy dr = new DestinationPolicy("reviews.default.svc.cluster.local", host, List.of(v2));

    assertThat(dr.effectivePolicy("v2").loadBalancer()).contains(random);
    assertThat(dr.effectivePolicy("v2").connectionPool()).contains(ConnectionPoolSettings.DEFAULT);
    assertThat(dr.effectivePolicy("v1").loadBalancer()).contains(LoadBalancerPolicy.ROUND_ROBIN);
  }

  @Test
  void invalidValuesNameTheFieldAndTheExpectedRange() {
    assertThatThrownBy(() -> RetryPolicy.of(-1, Duration.ZERO, RetryOn.ISTIO_DEFAULT))
        .hasMessage("retries.attempts: -1 (expected: >= 0)");
    assertThatThrownBy(() -> new CircuitBreakerPolicy(150f, 10, 10, Duration.ofSeconds(1), 1))
        .hasMessage("circuitBreaker.failureRateThreshold: 150.0 (expected: > 0 and <= 100)");
    assertThatThrownBy(() -> OutlierDetectionPolicy.builder().baseEjectionTime(Duration.ZERO).build())
        .hasMessage("outlierDetection.baseEjectionTime: PT0S (expected: > 0)");
    assertThatThrownBy(() -> new WeightedDestination("reviews", "v1", 0, 101))
        .hasMessage("route.weight: 101 (expected: 0..100)");
    assertThatThrownBy(() -> StringMatch.Regex.of("uri.regex", "(unclosed"))
        .hasMessageStartingWith("uri.regex: '(unclosed' (expected: a valid regular expression");
    assertThatThrownBy(() -> new FaultPolicy.Abort(0, "", 10))
        .hasMessageContaining("expected: exactly one of them");
  }

  @Test
  void stringMatchesNeverMatchAnAbsentAttribute() {
    assertThat(new StringMatch.Exact("jason").matches(null)).isFalse();
    assertThat(new StringMatch.Prefix("/api").matches("/api/v1")).isTrue();
    assertThat(StringMatch.Regex.of("r", "/re.*").matches("/reviews/1")).isTrue();
    assertThat(StringMatch.Regex.of("r", "re").matches("/reviews")).isFalse();
  }
}
