package io.inboard.mesh.controlplane.internal.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inboard.mesh.api.policy.ConnectionPoolSettings;
import io.inboard.mesh.api.policy.LoadBalancerPolicy;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The route and destination model the parser builds (moved here from mesh-api). */
class RouteModelTest {

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
