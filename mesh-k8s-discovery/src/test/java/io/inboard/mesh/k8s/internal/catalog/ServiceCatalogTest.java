package io.inboard.mesh.k8s.internal.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.inboard.mesh.api.ServiceName;
import io.inboard.mesh.api.discovery.Endpoint;
import io.inboard.mesh.testing.MockCluster;
import io.inboard.mesh.testing.MockClusterExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ServiceCatalogTest {

  private static final Duration SYNC = Duration.ofSeconds(10);

  @RegisterExtension
  final MockClusterExtension k8s = new MockClusterExtension();
  private final MockCluster cluster = k8s.cluster();
  private KubernetesCatalog discovery =
      KubernetesCatalog.start(cluster.client(), Duration.ofMillis(100));
  private final List<ServiceCatalog> catalogs = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    discovery.close();
  }

  private ServiceCatalog last() {
    return catalogs.isEmpty() ? null : catalogs.get(catalogs.size() - 1);
  }

  private void reviews(String namespace) {
    cluster.service("reviews", namespace).selector("app", "reviews")
        .port("http", 9080, "http").port("grpc", 9090, 9090).create();
  }

  private void reviewsPod(String name, String namespace, String ip, String version) {
    cluster.pod(name, namespace).ip(ip).label("app", "reviews").label("version", version)
        .containerPort("http", 8080).zone("zone-a").serviceAccount("bookinfo-reviews").create();
  }

  @Test
  void catalogListsEveryPortWithEndpointsPodLabelsZoneAndServiceAccount() {
    reviews("default");
    reviewsPod("reviews-v1-0", "default", "127.0.0.2", "v1");
    cluster.service("ratings", "default").selector("app", "ratings")
        .port("http", 9080, 9080).create();

    discovery.watchServices(NamespaceScope.of("default"), catalogs::add);

    await().atMost(SYNC).until(() -> last() != null);
    assertThat(last().services()).extracting(CatalogService::name)
        .containsExactly("ratings", "reviews");
    CatalogService reviews = last().service("reviews", "default").orElseThrow();
    assertThat(reviews.fqdn("cluster.local")).isEqualTo("reviews.default.svc.cluster.local");
    assertThat(reviews.ports()).extracting(CatalogPort::service).containsExactly(
        new ServiceName("reviews", "default", 9080, "http"),
        new ServiceName("reviews", "default", 9090, "grpc"));
    Map<String, String> labels = Map.of("app", "reviews", "version", "v1");
    assertThat(reviews.ports().get(0).endpoints()).containsExactly(new WorkloadEndpoint(
        new Endpoint("127.0.0.2", 8080, true, true, false, "reviews-v1-0", "zone-a", labels),
        "bookinfo-reviews"));
    assertThat(reviews.ports().get(1).routable()).extracting(e -> e.endpoint().port())
        .containsExactly(9090);
    assertThat(last().service("ratings", "default").orElseThrow().ports().get(0).endpoints())
        .isEmpty();
  }

  @Test
  void catalogFollowsScalingAndServiceDeletion() {
    reviews("default");
    reviewsPod("reviews-v1-0", "default", "127.0.0.2", "v1");
    discovery.watchServices(NamespaceScope.of("default"), catalogs::add);
    await().atMost(SYNC).until(() -> last() != null);

    reviewsPod("reviews-v2-0", "default", "127.0.0.3", "v2");
    await().atMost(SYNC).untilAsserted(() -> assertThat(httpAddresses())
        .containsExactly("127.0.0.2", "127.0.0.3"));

    cluster.deletePod("default", "reviews-v1-0");
    await().atMost(SYNC).untilAsserted(() -> assertThat(httpAddresses())
        .containsExactly("127.0.0.3"));

    cluster.deleteService("default", "reviews");
    await().atMost(SYNC).untilAsserted(() -> assertThat(last().services()).isEmpty());
  }

  private List<String> httpAddresses() {
    return last().service("reviews", "default").orElseThrow().ports().get(0).routable().stream()
        .map(e -> e.endpoint().address()).toList();
  }

  @Test
  void allNamespacesScopeSeesNamespacesCreatedLater() {
    reviews("default");
    discovery.watchServices(NamespaceScope.all(), catalogs::add);
    await().atMost(SYNC).until(() -> last() != null);

    reviews("bookinfo");
    reviewsPod("reviews-v1-0", "bookinfo", "127.0.0.2", "v1");

    await().atMost(SYNC).untilAsserted(() -> {
      assertThat(last().services()).extracting(s -> s.namespace() + "/" + s.name())
          .containsExactly("bookinfo/reviews", "default/reviews");
      assertThat(last().service("reviews", "bookinfo").orElseThrow().ports().get(0).endpoints())
          .hasSize(1);
    });
  }

  @Test
  void namedScopeLeavesOtherNamespacesOut() {
    reviews("default");
    reviews("other");
    reviewsPod("reviews-v1-0", "default", "127.0.0.2", "v1");

    discovery.watchServices(NamespaceScope.of("default"), catalogs::add);

    await().atMost(SYNC).until(() -> last() != null);
    assertThat(last().services()).extracting(CatalogService::namespace).containsOnly("default");
  }

  @Test
  void burstOfChangesGivesFewSnapshots() {
    discovery.close();
    // long enough that ten pods written back to back fall into one window, even on a slow host
    discovery = KubernetesCatalog.start(cluster.client(), Duration.ofSeconds(2));
    reviews("default");
    discovery.watchServices(NamespaceScope.of("default"), catalogs::add);
    await().atMost(SYNC).until(() -> last() != null);

    for (int i = 0; i < 10; i++) {
      reviewsPod("reviews-" + i, "default", "127.0.1." + (i + 1), "v1");
    }

    await().atMost(SYNC).untilAsserted(() -> assertThat(httpAddresses()).hasSize(10));
    // the first snapshot, then one (two if the window closed mid-burst) for the ten pods
    assertThat(catalogs).hasSizeBetween(2, 3);
  }

  @Test
  void watchingAfterCloseFails() {
    discovery.close();

    assertThatThrownBy(() -> discovery.watchServices(NamespaceScope.all(), catalogs::add))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void scopeWithoutNamespacesIsRejected() {
    assertThatThrownBy(() -> NamespaceScope.of())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("namespaces: [] (expected: at least one namespace, or NamespaceScope.all())");
  }
}
