package io.inboard.mesh.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inboard.mesh.api.discovery.StaticDiscovery;
import io.inboard.mesh.api.policy.ClientPolicy;
import io.inboard.mesh.api.policy.LoadBalancerPolicy;
import io.inboard.mesh.api.policy.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MeshTest {

  @Test
  void closeReleasesOwnedResourcesInReverseOrderOnce() {
    List<String> closed = new ArrayList<>();
    Mesh mesh = Mesh.builder().workloadName("w").namespace("ns")
        .discovery(new StaticDiscovery()).build();
    mesh.own(() -> closed.add("first"));
    mesh.own(() -> closed.add("second"));
    mesh.close();
    mesh.close();
    assertThat(closed).containsExactly("second", "first");
    assertThatThrownBy(() -> mesh.own(() -> { })).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'w' is closed");
  }

  @Test
  void controlPlanePolicyWinsOverClientPolicyWhichWinsOverDefaults() {
    ClientPolicy controlPlane = ClientPolicy.builder().timeout(Duration.ofSeconds(1)).build();
    Mesh mesh = Mesh.builder().workloadName("w").namespace("ns")
        .discovery(new StaticDiscovery()).policySource(s -> controlPlane).build();
    ClientPolicy client = ClientPolicy.builder().timeout(Duration.ofSeconds(9))
        .retry(RetryPolicy.ISTIO_DEFAULT).build();

    ClientPolicy effective = mesh.effectivePolicy(mesh.service("reviews"), client);

    assertThat(effective.timeout()).contains(Duration.ofSeconds(1));
    assertThat(effective.retry()).contains(RetryPolicy.ISTIO_DEFAULT);
    assertThat(effective.loadBalancer()).contains(LoadBalancerPolicy.ROUND_ROBIN);
  }

  @Test
  void shortServiceNamesResolveInTheWorkloadNamespace() {
    Mesh mesh = Mesh.builder().workloadName("w").namespace("bookinfo")
        .discovery(new StaticDiscovery()).build();
    assertThat(mesh.service("reviews:9080")).isEqualTo(ServiceName.of("reviews", "bookinfo", 9080));
  }

  @Test
  void kubernetesModeWithoutProviderOnClassPathFailsWithTheFix() {
    assertThatThrownBy(() -> Mesh.builder().workloadName("w").namespace("ns")
        .discovery(DiscoveryMode.KUBERNETES).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("discovery: KUBERNETES")
        .hasMessageContaining("io.inboard:mesh-k8s-discovery");
  }
}
