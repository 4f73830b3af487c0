package io.inboard.mesh.controlplane.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.inboard.mesh.controlplane.ControlPlane;
import io.inboard.mesh.controlplane.Diagnostic;
import io.inboard.mesh.controlplane.ResourceId;
import io.inboard.mesh.testing.MockCluster;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Telemetry custom resources are watched like the other Istio kinds, in v1 and v1alpha1. */
class KubernetesTelemetryTest {
  static final Duration CHANGE = Duration.ofSeconds(20);
  static final String TELEMETRY = """
      apiVersion: telemetry.istio.io/v1
      kind: Telemetry
      metadata: {name: mesh-default, namespace: istio-system}
      spec:
        tracing: [{randomSamplingPercentage: 10}]
      """;

  static MockCluster cluster;
  static ControlPlane cp;
  static KubernetesConfigSource source;

  @BeforeAll
  static void start() throws Exception {
    cluster = MockCluster.start().installIstioCrds();
    cluster.createNamespace("istio-system");
    cp = ControlPlane.builder().xdsPort(0).adminPort(-1).securePort(-1).start();
    source = KubernetesConfigSource.start(cluster.client(), cp);
  }

  @AfterAll
  static void stop() {
    source.close();
    cp.close();
    cluster.close();
  }

  @Test
  void telemetryIsStoredAndAnInvalidUpdateIsRejectedKeepingTheLastGood() {
    cluster.applyCustomResource(TELEMETRY.replace("/v1\n", "/v1alpha1\n"));
    ResourceId id = new ResourceId("Telemetry", "istio-system", "mesh-default");
    await().atMost(CHANGE).until(() -> !cp.resources("Telemetry", "istio-system",
        "mesh-default").isEmpty());

    cluster.applyCustomResource(TELEMETRY.replace("10}", "101}"));
    await().atMost(CHANGE).until(() -> source.rejected().containsKey(id));
    assertThat(source.rejected().get(id).errors()).extracting(Diagnostic::toString)
        .containsExactly("Telemetry istio-system/mesh-default:"
            + " spec.tracing[0].randomSamplingPercentage: 101 (expected: 0..100)");
    assertThat(cp.resources("Telemetry", "istio-system", "mesh-default").get(0).document()
        .toString()).contains("randomSamplingPercentage=10}");
  }
}
