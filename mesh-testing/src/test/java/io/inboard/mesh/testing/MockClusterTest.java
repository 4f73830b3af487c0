package io.inboard.mesh.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MockClusterTest {

  private final MockCluster cluster = MockCluster.start();

  @AfterEach
  void closeCluster() {
    cluster.close();
  }

  private List<EndpointSlice> slices(String namespace, String service) {
    return cluster.client().discovery().v1().endpointSlices().inNamespace(namespace)
        .withLabel("kubernetes.io/service-name", service).list().getItems();
  }

  private void reviews() {
    cluster.service("reviews", "default").selector("app", "reviews")
        .port("http", 9080, "http").create();
  }

  @Test
  void writesEndpointSliceWithResolvedNamedTargetPortAndPodMetadata() {
    reviews();
    cluster.pod("reviews-v1-0", "default").ip("127.0.0.2").label("app", "reviews")
        .label("version", "v1").containerPort("http", 8080).zone("zone-a").nodeName("node-1")
        .create();

    List<EndpointSlice> slices = slices("default", "reviews");
    assertThat(slices).hasSize(1);
    EndpointSlice slice = slices.get(0);
    assertThat(slice.getAddressType()).isEqualTo("IPv4");
    assertThat(slice.getPorts()).singleElement().satisfies(p -> {
      assertThat(p.getName()).isEqualTo("http");
      assertThat(p.getPort()).isEqualTo(8080);
    });
    Endpoint e = slice.getEndpoints().get(0);
    assertThat(e.getAddresses()).containsExactly("127.0.0.2");
    assertThat(e.getZone()).isEqualTo("zone-a");
    assertThat(e.getNodeName()).isEqualTo("node-1");
    assertThat(e.getTargetRef().getKind()).isEqualTo("Pod");
    assertThat(e.getTargetRef().getName()).isEqualTo("reviews-v1-0");
    assertThat(e.getConditions().getReady()).isTrue();

    Pod pod = cluster.client().pods().inNamespace("default").withName("reviews-v1-0").get();
    assertThat(pod.getMetadata().getLabels()).containsEntry("version", "v1");
    assertThat(cluster.client().namespaces().withName("default").get()).isNotNull();
  }

  @Test
  void numberedTargetPortIsUsedAsIs() {
    cluster.service("ratings", "default").selector("app", "ratings").port("grpc", 50051, 9000)
        .create();
    cluster.pod("ratings-0", "default").ip("127.0.0.3").label("app", "ratings").create();

    assertThat(slices("default", "ratings").get(0).getPorts().get(0).getPort()).isEqualTo(9000);
  }

  @Test
  void terminatingPodIsNotReadyButServing() {
    reviews();
    cluster.pod("reviews-v1-0", "default").ip("127.0.0.2").label("app", "reviews")
        .containerPort("http", 8080).create();

    cluster.startTerminating("default", "reviews-v1-0");

    var conditions = slices("default", "reviews").get(0).getEndpoints().get(0).getConditions();
    assertThat(conditions.getReady()).isFalse();
    assertThat(conditions.getServing()).isTrue();
    assertThat(conditions.getTerminating()).isTrue();
    assertThat(cluster.client().pods().inNamespace("default").withName("reviews-v1-0").get()
        .getMetadata().getLabels()).containsEntry("app", "reviews");
  }

  @Test
  void notReadyPodStaysInSliceAsNotReady() {
    reviews();
    cluster.pod("reviews-v1-0", "default").ip("127.0.0.2").label("app", "reviews")
        .containerPort("http", 8080).create();

    cluster.setReady("default", "reviews-v1-0", false);

    var conditions = slices("default", "reviews").get(0).getEndpoints().get(0).getConditions();
    assertThat(conditions.getReady()).isFalse();
    assertThat(conditions.getServing()).isFalse();
    assertThat(conditions.getTerminating()).isFalse();
  }

  @Test
  void deletingPodsAndServicesRemovesTheirEndpoints() {
    reviews();
    cluster.pod("reviews-v1-0", "default").ip("127.0.0.2").label("app", "reviews")
        .containerPort("http", 8080).create();

    cluster.deletePod("default", "reviews-v1-0");
    assertThat(slices("default", "reviews").get(0).getEndpoints()).isEmpty();

    cluster.deleteService("default", "reviews");
    assertThat(slices("default", "reviews")).isEmpty();
    assertThat(cluster.client().services().inNamespace("default").withName("reviews").get())
        .isNull();
  }

  @Test
  void unselectedPodsAreNotEndpoints() {
    reviews();
    cluster.pod("ratings-0", "default").ip("127.0.0.9").label("app", "ratings").create();

    assertThat(slices("default", "reviews").get(0).getEndpoints()).isEmpty();
  }

  @Test
  void informerSeesScaleUp() throws Exception {
    reviews();
    try (SharedIndexInformer<EndpointSlice> informer = cluster.client().discovery().v1()
        .endpointSlices().inNamespace("default").inform()) {
      informer.start().toCompletableFuture().get(10, TimeUnit.SECONDS);

      cluster.pod("reviews-v1-0", "default").ip("127.0.0.2").label("app", "reviews")
          .containerPort("http", 8080).create();

      await().atMost(Duration.ofSeconds(1)).untilAsserted(() ->
          assertThat(informer.getStore().list()).singleElement()
              .satisfies(s -> assertThat(s.getEndpoints()).hasSize(1)));
    }
  }

  @Test
  void restartedApiServerKeepsItsDataAndPort() {
    reviews();
    int port = cluster.port();

    cluster.stopApiServer();
    assertThatThrownBy(this::reviews).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("API server is stopped");
    cluster.restartApiServer();

    assertThat(cluster.port()).isEqualTo(port);
    assertThat(cluster.client().services().inNamespace("default").withName("reviews").get())
        .isNotNull();
  }

  @Test
  void unknownPodIsRejectedWithItsName() {
    assertThatThrownBy(() -> cluster.setReady("default", "nope", true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("default/nope");
  }
}
