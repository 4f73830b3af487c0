package io.inboard.mesh.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inboard.mesh.api.discovery.StaticDiscovery;
import io.inboard.mesh.api.internal.InternalMesh;
import io.inboard.mesh.api.policy.ClientPolicy;
import io.inboard.mesh.api.policy.LoadBalancerPolicy;
import io.inboard.mesh.api.policy.RetryPolicy;
import java.time.Duration;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class MeshTest {

  @Test
  void closeReleasesOwnedResourcesInReverseOrderOnce() {
    List<String> closed = new ArrayList<>();
    Mesh mesh = Mesh.builder().workloadName("w").namespace("ns")
        .discovery(new StaticDiscovery()).build();
    InternalMesh.own(mesh, () -> closed.add("first"));
    InternalMesh.own(mesh, () -> closed.add("second"));
    mesh.close();
    mesh.close();
    assertThat(closed).containsExactly("second", "first");
    assertThatThrownBy(() -> InternalMesh.own(mesh, () -> { }))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'w' is closed");
  }

  @Test
  void clientPolicyWinsOverDefaultsFieldByField() {
    Mesh mesh = Mesh.builder().workloadName("w").namespace("ns")
        .discovery(new StaticDiscovery()).build();
    ClientPolicy client = ClientPolicy.builder().timeout(Duration.ofSeconds(9))
        .retry(RetryPolicy.ISTIO_DEFAULT).build();

    ClientPolicy effective = InternalMesh.effectivePolicy(mesh, mesh.service("reviews"), client);

    assertThat(effective.timeout()).contains(Duration.ofSeconds(9));
    assertThat(effective.retry()).contains(RetryPolicy.ISTIO_DEFAULT);
    assertThat(effective.loadBalancer()).contains(LoadBalancerPolicy.ROUND_ROBIN);
  }

  @Test
  void publicMethodsAreOnlyWhatApplicationsUse() {
    Set<String> methods = Arrays.stream(Mesh.class.getDeclaredMethods())
        .filter(m -> Modifier.isPublic(m.getModifiers()))
        .map(Method::getName)
        .collect(Collectors.toCollection(TreeSet::new));
    assertThat(methods).containsExactly("adminAddress", "builder", "close", "service", "settings");
  }

  @Test
  void adminAddressIsEmptyWithoutTelemetry() {
    try (Mesh mesh = Mesh.builder().workloadName("w").namespace("ns")
        .discovery(new StaticDiscovery()).build()) {
      assertThat(mesh.adminAddress()).isEmpty();
    }
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
