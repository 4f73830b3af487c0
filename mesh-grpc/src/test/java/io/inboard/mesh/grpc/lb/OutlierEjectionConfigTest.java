package io.inboard.mesh.grpc.lb;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.LoadBalancerProvider;
import io.grpc.LoadBalancerRegistry;
import io.grpc.NameResolver.ConfigOrError;
import io.inboard.mesh.api.internal.MeshXdsNames;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The policy's Struct as grpc-xds hands it over (numbers as doubles), parsed by the provider the
 * service loader registered: what grpc-xds puts into a Cluster's NACK.
 */
class OutlierEjectionConfigTest {

  private static final LoadBalancerProvider PROVIDER =
      LoadBalancerRegistry.getDefaultRegistry().getProvider(MeshXdsNames.GRPC_OUTLIER_POLICY);

  @Test
  void contractShape_isAccepted() {
    ConfigOrError parsed = PROVIDER.parseLoadBalancingPolicyConfig(valid());

    assertThat(parsed.getError()).isNull();
    assertThat(parsed.getConfig()).isNotNull();
  }

  @Test
  void emptyStruct_takesTheDefaults() {
    assertThat(PROVIDER.parseLoadBalancingPolicyConfig(Map.of()).getError()).isNull();
  }

  static Stream<Arguments> badValues() {
    return Stream.of(
        Arguments.of("maxEjectionPercent", 150.0, "maxEjectionPercent: 150 (expected: 0..100)"),
        Arguments.of("minHealthPercent", -1.0, "minHealthPercent: -1 (expected: 0..100)"),
        Arguments.of("consecutive5xx", 2.5,
            "consecutive5xx: 2.5 (expected: a whole number >= 0)"),
        Arguments.of("consecutiveGatewayErrors", "five",
            "consecutiveGatewayErrors: 'five' (expected: a whole number >= 0)"),
        Arguments.of("intervalMs", 0.0, "intervalMs: 0 (expected: milliseconds > 0)"),
        Arguments.of("baseEjectionTimeMs", -30000.0,
            "baseEjectionTimeMs: -30000 (expected: milliseconds > 0)"),
        Arguments.of("maxEjectionTimeMs", -1.0,
            "maxEjectionTimeMs: -1 (expected: milliseconds >= 0)"),
        Arguments.of("cluster", 7.0, "cluster: 7.0 (expected: a string)"),
        Arguments.of("childPolicy", Map.of("round_robin", Map.of()),
            "childPolicy: {round_robin={}} (expected: a list of LB configs"),
        Arguments.of("childPolicy", List.of(Map.of("no_such_policy", Map.of())),
            "childPolicy: [{no_such_policy={}}] (expected: a list of registered LB configs"));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("badValues")
  void badValue_isRefusedNamingFieldValueAndExpectation(String field, Object value,
      String message) {
    Map<String, Object> raw = valid();
    raw.put(field, value);

    ConfigOrError parsed = PROVIDER.parseLoadBalancingPolicyConfig(raw);

    assertThat(parsed.getError()).isNotNull();
    assertThat(parsed.getError().getDescription())
        .startsWith(MeshXdsNames.GRPC_OUTLIER_POLICY + ": " + message);
  }

  private static Map<String, Object> valid() {
    Map<String, Object> raw = new HashMap<>();
    raw.put("consecutive5xx", 5.0);
    raw.put("consecutiveGatewayErrors", 0.0);
    raw.put("intervalMs", 10000.0);
    raw.put("baseEjectionTimeMs", 30000.0);
    raw.put("maxEjectionTimeMs", 300000.0);
    raw.put("maxEjectionPercent", 10.0);
    raw.put("minHealthPercent", 0.0);
    raw.put("childPolicy", List.of(Map.of("round_robin", Map.of())));
    return raw;
  }
}
