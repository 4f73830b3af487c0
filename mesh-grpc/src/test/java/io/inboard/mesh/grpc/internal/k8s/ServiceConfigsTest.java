package io.inboard.mesh.grpc.internal.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.inboard.mesh.api.internal.MeshXdsNames;
import io.inboard.mesh.api.policy.ClientPolicy;
import io.inboard.mesh.api.policy.ConnectionPoolSettings;
import io.inboard.mesh.api.policy.OutlierDetectionPolicy;
import io.inboard.mesh.api.policy.LoadBalancerPolicy;
import io.inboard.mesh.api.policy.RetryOn;
import io.inboard.mesh.api.policy.RetryPolicy;
import io.inboard.mesh.grpc.internal.client.MethodPolicy;
import io.inboard.mesh.grpc.internal.lb.OutlierEjectionProvider;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceConfigsTest {

  @Test
  void translatesTimeoutRetryAndLoadBalancer() {
    ClientPolicy policy = ClientPolicy.builder()
        .timeout(Duration.ofMillis(1500))
        .retry(new RetryPolicy(2, Duration.ZERO, RetryOn.parse("unavailable"),
            Duration.ofMillis(25), Duration.ofMillis(250)))
        .loadBalancer(new LoadBalancerPolicy.Simple(LoadBalancerPolicy.Simple.Kind.PICK_FIRST))
        .build();

    Map<String, Object> config = ServiceConfigs.of(policy, List.of(new MethodPolicy(
        "grpc.testing.SimpleService", "UnaryRpc", ClientPolicy.builder().timeout(Duration.ofSeconds(2)).build())));

    assertThat(config.get("loadBalancingConfig"))
        .isEqualTo(List.of(Map.of("pick_first", Map.of("shuffleAddressList", true))));
    assertThat(config.get("methodConfig")).isEqualTo(List.of(
        Map.of("name", List.of(Map.of()), "timeout", "1.500000000s",
            "retryPolicy", Map.of("maxAttempts", 3.0, "initialBackoff", "0.025000000s",
                "maxBackoff", "0.250000000s", "backoffMultiplier", 2.0,
                "retryableStatusCodes", List.of("UNAVAILABLE"))),
        Map.of("name", List.of(Map.of("service", "grpc.testing.SimpleService", "method", "UnaryRpc")),
            "timeout", "2.000000000s")));
  }

  @Test
  void ejectionAndConnectionLimitsPutTheBalancerUnderInboardsClusterPolicy() {
    ClientPolicy policy = ClientPolicy.builder()
        .outlierDetection(OutlierDetectionPolicy.builder().consecutive5xxErrors(3)
            .interval(Duration.ofSeconds(1)).baseEjectionTime(Duration.ofSeconds(20))
            .maxEjectionPercent(50).build())
        .connectionPool(ConnectionPoolSettings.builder().maxRequestsPerConnection(7)
            .idleTimeout(Duration.ofMillis(1500)).build())
        .build();

    Map<String, Object> config = ServiceConfigs.of(policy, List.of());

    Map<String, Object> expected = new java.util.LinkedHashMap<>();
    expected.put("cluster", "");
    expected.put("consecutive5xx", 3.0);
    expected.put("consecutiveGatewayErrors", 0.0);
    expected.put("intervalMs", 1000.0);
    expected.put("baseEjectionTimeMs", 20_000.0);
    expected.put("maxEjectionTimeMs", 300_000.0);
    expected.put("maxEjectionPercent", 50.0);
    expected.put("minHealthPercent", 0.0);
    expected.put("maxRequestsPerConnection", 7.0);
    expected.put("idleTimeoutMs", 1500.0);
    expected.put("childPolicy", List.of(Map.of("round_robin", Map.of())));
    assertThat(config.get("loadBalancingConfig"))
        .isEqualTo(List.of(Map.of(MeshXdsNames.GRPC_OUTLIER_POLICY, expected)));
    // and grpc's own parser of that policy takes it
    assertThat(new OutlierEjectionProvider().parseLoadBalancingPolicyConfig(expected).getError())
        .isNull();
  }

  @Test
  void anIdleTimeoutOfZeroAloneLeavesThePlainBalancer() {
    ClientPolicy policy = ClientPolicy.builder().connectionPool(
        ConnectionPoolSettings.builder().idleTimeout(Duration.ZERO).build()).build();

    assertThat(ServiceConfigs.of(policy, List.of()).get("loadBalancingConfig"))
        .isEqualTo(List.of(Map.of("round_robin", Map.of())));
  }

  @Test
  void noRetriesMeansNoRetryPolicy() {
    Map<String, Object> config = ServiceConfigs.of(ClientPolicy.DEFAULTS, List.of());

    assertThat(config.get("loadBalancingConfig")).isEqualTo(List.of(Map.of("round_robin", Map.of())));
    assertThat(config.get("methodConfig")).isEqualTo(List.of(Map.of("name", List.of(Map.of()))));
  }

  @Test
  void mapsEnvoyRetryConditionsToGrpcCodes() {
    assertThat(GrpcRetryCodes.of(RetryOn.ISTIO_DEFAULT))
        .containsExactlyInAnyOrder(Status.Code.UNAVAILABLE, Status.Code.CANCELLED);
    assertThat(GrpcRetryCodes.of(RetryOn.parse("5xx")))
        .containsExactlyInAnyOrder(Status.Code.UNAVAILABLE, Status.Code.INTERNAL);
    assertThat(GrpcRetryCodes.of(RetryOn.parse("gateway-error,reset")))
        .containsExactly(Status.Code.UNAVAILABLE);
    assertThat(GrpcRetryCodes.of(RetryOn.parse("deadline-exceeded,resource-exhausted")))
        .containsExactlyInAnyOrder(Status.Code.DEADLINE_EXCEEDED, Status.Code.RESOURCE_EXHAUSTED);
    assertThat(GrpcRetryCodes.of(RetryOn.parse("retriable-4xx,500"))).isEmpty();
  }

  @Test
  void maxAttemptsIsTheLargestOverChannelAndMethods() {
    ClientPolicy six = ClientPolicy.builder()
        .retry(RetryPolicy.of(5, Duration.ZERO, RetryOn.ISTIO_DEFAULT)).build();

    assertThat(ServiceConfigs.maxAttempts(ClientPolicy.DEFAULTS,
        List.of(new MethodPolicy("s", "M", six)))).isEqualTo(6);
    assertThat(ServiceConfigs.maxAttempts(ClientPolicy.DEFAULTS, List.of())).isEqualTo(1);
  }
}
