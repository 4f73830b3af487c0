package io.inboard.mesh.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.inboard.mesh.api.DiscoveryMode;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.discovery.DiscoveryProvider;
import io.inboard.mesh.api.discovery.Endpoint;
import io.inboard.mesh.api.internal.InternalMesh;
import io.inboard.mesh.testing.MockCluster;
import io.inboard.mesh.testing.MockClusterExtension;
import java.time.Duration;
import java.util.ServiceLoader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class MeshIntegrationTest {

  @RegisterExtension
  final MockClusterExtension k8s = new MockClusterExtension();
  private final MockCluster cluster = k8s.cluster();

  @BeforeEach
  void declareReviews() {
    cluster.service("reviews", "default").selector("app", "reviews")
        .port("http", 9080, 8080).create();
    cluster.pod("reviews-v1-0", "default").ip("127.0.0.2").label("app", "reviews").create();
  }

  @Test
  void meshResolvesThroughGivenKubernetesDiscovery() {
    try (Mesh mesh = Mesh.builder().workloadName("productpage-v1").namespace("default")
        .discovery(KubernetesDiscovery.builder().client(cluster.client()).build()).build()) {
      RecordingListener listener = new RecordingListener();
      InternalMesh.discovery(mesh).subscribe(mesh.service("reviews:9080"), listener);

      await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(listener.endpoints().routable()).extracting(Endpoint::authority)
              .containsExactly("127.0.0.2:8080"));
    }
  }

  @Test
  void serviceLoaderFindsKubernetesProvider() {
    assertThat(ServiceLoader.load(DiscoveryProvider.class).stream()
            .map(ServiceLoader.Provider::get))
        .anySatisfy(p -> {
          assertThat(p).isInstanceOf(KubernetesDiscoveryProvider.class);
          assertThat(p.mode()).isEqualTo(DiscoveryMode.KUBERNETES);
        });
  }

  @Test
  void meshBuiltForKubernetesModeUsesDefaultClientConfiguration() {
    // The provider builds fabric8's default client, which honours these system properties
    // the way it honours a pod's service account in a cluster.
    String master = System.getProperty("kubernetes.master");
    String tryKubeConfig = System.getProperty("kubernetes.auth.tryKubeConfig");
    System.setProperty("kubernetes.master", cluster.masterUrl());
    System.setProperty("kubernetes.auth.tryKubeConfig", "false");
    try (Mesh mesh = Mesh.builder().workloadName("productpage-v1").namespace("default").build()) {
      assertThat(InternalMesh.discovery(mesh)).isInstanceOf(KubernetesDiscovery.class);
      RecordingListener listener = new RecordingListener();
      InternalMesh.discovery(mesh).subscribe(mesh.service("reviews"), listener);

      await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(listener.endpoints().routable()).hasSize(1));
    } finally {
      restore("kubernetes.master", master);
      restore("kubernetes.auth.tryKubeConfig", tryKubeConfig);
    }
  }

  private static void restore(String key, String value) {
    if (value == null) {
      System.clearProperty(key);
    } else {
      System.setProperty(key, value);
    }
  }
}
