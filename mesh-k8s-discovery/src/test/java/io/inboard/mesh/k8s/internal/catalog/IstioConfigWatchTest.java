package io.inboard.mesh.k8s.internal.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.inboard.mesh.testing.MockCluster;
import io.inboard.mesh.testing.MockClusterExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class IstioConfigWatchTest {

  private static final Duration SYNC = Duration.ofSeconds(10);

  @RegisterExtension
  final MockClusterExtension k8s = new MockClusterExtension();
  private final MockCluster cluster = k8s.cluster();
  private final KubernetesCatalog discovery =
      KubernetesCatalog.start(cluster.client(), Duration.ofMillis(100));
  private final List<IstioConfig> configs = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    discovery.close();
  }

  private IstioConfig last() {
    return configs.isEmpty() ? null : configs.get(configs.size() - 1);
  }

  private List<String> names() {
    assertThat(last()).as("a config delivered").isNotNull();
    return last().resources().stream().map(IstioResource::displayName).toList();
  }

  @Test
  @SuppressWarnings("unchecked")
  void readsEveryKindAsCleanDocumentInTheServedVersion() {
    cluster.installIstioCrds();
    cluster.applyCustomResource("""
        apiVersion: networking.istio.io/v1alpha3
        kind: VirtualService
        metadata: {name: reviews, labels: {team: books}}
        spec: {hosts: [reviews]}
        """);
    cluster.applyCustomResource("""
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: default, namespace: bookinfo}
        spec: {mtls: {mode: STRICT}}
        """);

    discovery.watchIstioConfig(NamespaceScope.all(), configs::add);

    await().atMost(SYNC).untilAsserted(() -> assertThat(names()).containsExactly(
        "VirtualService default/reviews", "PeerAuthentication bookinfo/default"));
    IstioResource vs = last().resources().get(0);
    assertThat(vs.kind()).isEqualTo(IstioKind.VIRTUAL_SERVICE);
    assertThat(vs.apiVersion()).isEqualTo("networking.istio.io/v1");
    assertThat(vs.document()).containsEntry("kind", "VirtualService")
        .containsEntry("spec", Map.of("hosts", List.of("reviews")));
    // the creation time, when the server sets one, is kept too: it orders policies
    Map<String, Object> metadata = new java.util.HashMap<>(
        (Map<String, Object>) vs.document().get("metadata"));
    metadata.remove("creationTimestamp");
    assertThat(metadata).isEqualTo(Map.of("name", "reviews",
        "namespace", "default", "labels", Map.of("team", "books")));
  }

  @Test
  void followsUpdatesAndDeletionsInNamedNamespaces() {
    cluster.installIstioCrds();
    discovery.watchIstioConfig(NamespaceScope.of("default"), configs::add);
    await().atMost(SYNC).untilAsserted(() -> assertThat(last()).isNotNull());
    assertThat(last().resources()).isEmpty();

    cluster.applyCustomResource("""
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: reviews}
        spec: {host: reviews, subsets: [{name: v1, labels: {version: v1}}]}
        """);
    cluster.applyCustomResource("""
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: reviews, namespace: elsewhere}
        spec: {host: reviews}
        """);
    await().atMost(SYNC).untilAsserted(() ->
        assertThat(names()).containsExactly("DestinationRule default/reviews"));

    cluster.applyCustomResource("""
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: reviews}
        spec: {host: reviews, subsets: [{name: v2, labels: {version: v2}}]}
        """);
    await().atMost(SYNC).untilAsserted(() ->
        assertThat(last().resources().get(0).document().get("spec").toString())
            .contains("name=v2"));

    cluster.deleteCustomResource("networking.istio.io", "DestinationRule", "default", "reviews");
    await().atMost(SYNC).untilAsserted(() -> assertThat(last().resources()).isEmpty());
  }

  @Test
  void kindsWithoutCrdAreNotWatched() {
    discovery.watchIstioConfig(NamespaceScope.all(), configs::add);

    await().atMost(SYNC).untilAsserted(() -> assertThat(last()).isNotNull());
    assertThat(last().resources()).isEmpty();
    assertThat(discovery.informerCount()).isZero();
  }
}
