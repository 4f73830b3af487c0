package io.inboard.mesh.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.inboard.mesh.api.ServiceName;
import io.inboard.mesh.api.discovery.Endpoint;
import io.inboard.mesh.testing.MockCluster;
import io.inboard.mesh.testing.MockClusterExtension;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ApiOutageTest {

  @RegisterExtension
  final MockClusterExtension k8s = new MockClusterExtension();
  private final MockCluster cluster = k8s.cluster();
  // A short reconnect interval keeps the backoff after the restart within the test's patience.
  private final KubernetesClient client =
      cluster.newClient(c -> c.withWatchReconnectInterval(100));
  private final KubernetesDiscovery discovery =
      KubernetesDiscovery.builder().client(client).build();

  @AfterEach
  void close() {
    discovery.close();
    client.close();
  }

  @Test
  void apiOutageKeepsLastEndpointsAndResyncsAfterReconnect() {
    cluster.service("reviews", "default").selector("app", "reviews")
        .port("http", 9080, 8080).create();
    cluster.pod("reviews-v1-0", "default").ip("127.0.0.2").label("app", "reviews").create();
    RecordingListener listener = new RecordingListener();
    discovery.subscribe(ServiceName.of("reviews", "default"), listener);
    await().atMost(Duration.ofSeconds(10)).until(() -> listener.last() != null);
    assertThat(listener.endpoints().routable()).hasSize(1);
    int delivered = listener.events.size();

    cluster.stopApiServer();

    await().atMost(Duration.ofSeconds(10)).until(() -> discovery.watchFailures() > 0);
    // Failed relists must not look like an empty service: nothing is delivered at all.
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
        .until(() -> listener.events.size() == delivered);
    assertThat(listener.endpoints().routable()).extracting(Endpoint::address)
        .containsExactly("127.0.0.2");

    cluster.restartApiServer();
    cluster.pod("reviews-v1-1", "default").ip("127.0.0.3").label("app", "reviews").create();

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(listener.endpoints().routable()).extracting(Endpoint::address)
            .containsExactly("127.0.0.2", "127.0.0.3"));
  }
}
