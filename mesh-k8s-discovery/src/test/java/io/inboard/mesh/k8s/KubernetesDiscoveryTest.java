package io.inboard.mesh.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.inboard.mesh.api.ServiceName;
import io.inboard.mesh.api.ServiceUnavailableException.Reason;
import io.inboard.mesh.api.discovery.Endpoint;
import io.inboard.mesh.testing.MockCluster;
import io.inboard.mesh.testing.MockClusterExtension;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class KubernetesDiscoveryTest {

  private static final Duration SYNC = Duration.ofSeconds(10);
  private static final Duration CHANGE = Duration.ofSeconds(1);

  @RegisterExtension
  final MockClusterExtension k8s = new MockClusterExtension();
  private final MockCluster cluster = k8s.cluster();
  private final KubernetesDiscovery discovery =
      KubernetesDiscovery.builder().client(cluster.client()).build();

  @AfterEach
  void close() {
    discovery.close();
  }

  private void reviewsService() {
    cluster.service("reviews", "default").selector("app", "reviews")
        .port("http", 9080, "http").create();
  }

  private void reviewsPod(String name, String ip, String version) {
    cluster.pod(name, "default").ip(ip).label("app", "reviews").label("version", version)
        .containerPort("http", 8080).zone("zone-a").create();
  }

  private RecordingListener subscribe(ServiceName service) {
    RecordingListener listener = new RecordingListener();
    discovery.subscribe(service, listener);
    return listener;
  }

  private RecordingListener subscribeReviews() {
    RecordingListener listener = subscribe(ServiceName.of("reviews", "default"));
    await().atMost(SYNC).until(() -> listener.last() != null);
    return listener;
  }

  @Test
  void discoversEndpointsWithPodLabelsZoneAndPodName() {
    reviewsService();
    reviewsPod("reviews-v1-0", "127.0.0.2", "v1");

    RecordingListener listener = subscribeReviews();

    assertThat(listener.endpoints().service()).isEqualTo(new ServiceName("reviews", "default", 9080, "http"));
    assertThat(listener.endpoints().endpoints()).containsExactly(new Endpoint(
        "127.0.0.2", 8080, true, true, false, "reviews-v1-0", "zone-a",
        Map.of("app", "reviews", "version", "v1")));
  }

  @Test
  void notReadyEndpointIsPresentButNotRoutable() {
    reviewsService();
    reviewsPod("reviews-v1-0", "127.0.0.2", "v1");
    reviewsPod("reviews-v2-0", "127.0.0.3", "v2");
    RecordingListener listener = subscribeReviews();

    cluster.setReady("default", "reviews-v2-0", false);

    await().atMost(CHANGE).untilAsserted(() -> {
      assertThat(listener.endpoints().endpoints()).hasSize(2);
      assertThat(listener.endpoints().routable()).extracting(Endpoint::podName)
          .containsExactly("reviews-v1-0");
    });
  }

  @Test
  void serviceWithNoReadyEndpointIsDeliveredNotAnError() {
    reviewsService();
    cluster.pod("reviews-v1-0", "default").ip("127.0.0.2").label("app", "reviews")
        .containerPort("http", 8080).ready(false).create();

    RecordingListener listener = subscribeReviews();

    assertThat(listener.endpoints().endpoints()).singleElement()
        .satisfies(e -> assertThat(e.ready()).isFalse());
    assertThat(listener.endpoints().routable()).isEmpty();
  }

  @Test
  void terminatingServingEndpointIsRoutableOnlyWhenNoneIsReady() {
    reviewsService();
    reviewsPod("reviews-v1-0", "127.0.0.2", "v1");
    reviewsPod("reviews-v1-1", "127.0.0.3", "v1");
    RecordingListener listener = subscribeReviews();

    cluster.startTerminating("default", "reviews-v1-0");
    await().atMost(CHANGE).untilAsserted(() -> {
      Endpoint terminating = listener.endpoints().endpoints().get(0);
      assertThat(terminating.ready()).isFalse();
      assertThat(terminating.serving()).isTrue();
      assertThat(terminating.terminating()).isTrue();
      assertThat(listener.endpoints().routable()).extracting(Endpoint::podName)
          .containsExactly("reviews-v1-1");
    });

    cluster.deletePod("default", "reviews-v1-1");
    await().atMost(CHANGE).untilAsserted(() ->
        assertThat(listener.endpoints().routable()).extracting(Endpoint::podName)
            .containsExactly("reviews-v1-0"));
  }

  @Test
  void scaleUpAndDownAreSeenWithinOneSecond() {
    reviewsService();
    reviewsPod("reviews-v1-0", "127.0.0.2", "v1");
    RecordingListener listener = subscribeReviews();

    reviewsPod("reviews-v1-1", "127.0.0.3", "v1");
    reviewsPod("reviews-v1-2", "127.0.0.4", "v1");
    await().atMost(CHANGE).untilAsserted(() ->
        assertThat(listener.endpoints().routable()).extracting(Endpoint::address)
            .containsExactly("127.0.0.2", "127.0.0.3", "127.0.0.4"));

    cluster.deletePod("default", "reviews-v1-0");
    cluster.deletePod("default", "reviews-v1-2");
    await().atMost(CHANGE).untilAsserted(() ->
        assertThat(listener.endpoints().routable()).extracting(Endpoint::address)
            .containsExactly("127.0.0.3"));
  }

  @Test
  void podLabelChangeIsSeen() {
    reviewsService();
    reviewsPod("reviews-v1-0", "127.0.0.2", "v1");
    RecordingListener listener = subscribeReviews();

    reviewsPod("reviews-v1-0", "127.0.0.2", "v3");

    await().atMost(CHANGE).untilAsserted(() ->
        assertThat(listener.endpoints().endpoints().get(0).labels())
            .containsEntry("version", "v3"));
  }

  @Test
  void unchangedEndpointsAreNotDeliveredAgain() {
    reviewsService();
    reviewsPod("reviews-v1-0", "127.0.0.2", "v1");
    RecordingListener listener = subscribeReviews();

    // Events in the namespace that change nothing reviews' listener would see...
    cluster.pod("ratings-0", "default").ip("127.0.0.9").label("app", "ratings").create();
    cluster.service("ratings", "default").selector("app", "ratings").port("http", 9080, 9080)
        .create();
    // ...then one that does; the listener must get exactly that one.
    reviewsPod("reviews-v1-1", "127.0.0.3", "v1");

    await().atMost(CHANGE).until(() -> listener.endpoints().endpoints().size() == 2);
    assertThat(listener.events).hasSize(2);
  }

  @Test
  void callbacksRunOneAtATimeOnTheDiscoveryThread() {
    reviewsService();
    RecordingListener listener = subscribeReviews();

    for (int i = 0; i < 10; i++) {
      reviewsPod("reviews-v1-" + i, "127.0.1." + i, "v1");
    }

    await().atMost(CHANGE).until(() -> listener.endpoints().endpoints().size() == 10);
    assertThat(listener.overlaps).hasValue(0);
    assertThat(listener.threads).containsOnly("inboard-k8s-discovery");
  }

  @Test
  void namedTargetPortResolvesThroughContainerPorts() {
    cluster.service("details", "default").selector("app", "details")
        .port("http", 9080, "web").create();
    cluster.pod("details-0", "default").ip("127.0.0.5").label("app", "details")
        .containerPort("web", 8081).create();
    cluster.pod("details-1", "default").ip("127.0.0.6").label("app", "details")
        .containerPort("web", 8082).create();

    RecordingListener listener = subscribe(ServiceName.of("details", "default"));

    await().atMost(SYNC).untilAsserted(() ->
        assertThat(listener.endpoints().endpoints()).extracting(Endpoint::authority)
            .containsExactly("127.0.0.5:8081", "127.0.0.6:8082"));
  }

  @Test
  void multiPortServiceResolvesByPortNameOrNumber() {
    cluster.service("ratings", "default").selector("app", "ratings")
        .port("http", 9080, 8080).port("grpc", 9090, 50051).create();
    cluster.pod("ratings-0", "default").ip("127.0.0.7").label("app", "ratings").create();

    RecordingListener byName =
        subscribe(new ServiceName("ratings", "default", 0, "grpc"));
    RecordingListener byNumber = subscribe(ServiceName.of("ratings", "default", 9080));

    await().atMost(SYNC).untilAsserted(() -> {
      assertThat(byName.endpoints().endpoints()).extracting(Endpoint::port).containsExactly(50051);
      assertThat(byName.endpoints().service().port()).isEqualTo(9090);
      assertThat(byNumber.endpoints().endpoints()).extracting(Endpoint::port)
          .containsExactly(8080);
      assertThat(byNumber.endpoints().service().portName()).isEqualTo("http");
    });
  }

  @Test
  void multiPortServiceWithoutPortIsPortNotFoundListingItsPorts() {
    cluster.service("ratings", "default").selector("app", "ratings")
        .port("http", 9080, 8080).port("grpc", 9090, 50051).create();

    RecordingListener listener = subscribe(ServiceName.of("ratings", "default"));

    await().atMost(SYNC).untilAsserted(() -> {
      assertThat(listener.error().reason()).isEqualTo(Reason.PORT_NOT_FOUND);
      assertThat(listener.error()).hasMessageContaining("http/9080")
          .hasMessageContaining("grpc/9090");
    });
  }

  @Test
  void unknownPortIsPortNotFound() {
    reviewsService();

    RecordingListener listener = subscribe(ServiceName.of("reviews", "default", 1234));

    await().atMost(SYNC).untilAsserted(() -> {
      assertThat(listener.error().reason()).isEqualTo(Reason.PORT_NOT_FOUND);
      assertThat(listener.error()).hasMessageContaining("port: 1234")
          .hasMessageContaining("http/9080");
    });
  }

  @Test
  void unknownServiceIsServiceNotFoundNamingServiceAndNamespace() {
    cluster.createNamespace("default");

    RecordingListener listener = subscribe(ServiceName.of("nope", "default"));

    await().atMost(SYNC).untilAsserted(() -> {
      assertThat(listener.error().reason()).isEqualTo(Reason.SERVICE_NOT_FOUND);
      assertThat(listener.error()).hasMessageContaining("'nope'")
          .hasMessageContaining("'default'");
    });
  }

  @Test
  void unknownNamespaceIsNamespaceNotFound() {
    RecordingListener listener = subscribe(ServiceName.of("reviews", "nowhere"));

    await().atMost(SYNC).untilAsserted(() -> {
      assertThat(listener.error().reason()).isEqualTo(Reason.NAMESPACE_NOT_FOUND);
      assertThat(listener.error()).hasMessageContaining("'nowhere'");
    });
  }

  @Test
  void serviceCreatedLaterRecovers() {
    cluster.createNamespace("default");
    RecordingListener listener = subscribe(ServiceName.of("reviews", "default"));
    await().atMost(SYNC).until(() -> listener.last() != null);
    assertThat(listener.error().reason()).isEqualTo(Reason.SERVICE_NOT_FOUND);

    reviewsService();
    reviewsPod("reviews-v1-0", "127.0.0.2", "v1");

    await().atMost(CHANGE).untilAsserted(() ->
        assertThat(listener.endpoints().routable()).hasSize(1));
  }

  @Test
  void deletedServiceBecomesServiceNotFound() {
    reviewsService();
    RecordingListener listener = subscribeReviews();

    cluster.deleteService("default", "reviews");

    await().atMost(CHANGE).untilAsserted(() ->
        assertThat(listener.error().reason()).isEqualTo(Reason.SERVICE_NOT_FOUND));
  }

  @Test
  void informersAreSharedPerNamespace() {
    reviewsService();
    cluster.service("ratings", "default").selector("app", "ratings").port("http", 9080, 9080)
        .create();
    assertThat(discovery.informerCount()).isZero();

    RecordingListener reviews = subscribe(ServiceName.of("reviews", "default"));
    RecordingListener ratings = subscribe(ServiceName.of("ratings", "default"));
    await().atMost(SYNC).until(() -> reviews.last() != null && ratings.last() != null);
    assertThat(discovery.informerCount()).isEqualTo(3);

    subscribe(ServiceName.of("productpage", "other"));
    assertThat(discovery.informerCount()).isEqualTo(6);
  }

  @Test
  void closedSubscriptionGetsNoMoreUpdates() {
    reviewsService();
    RecordingListener closed = new RecordingListener();
    var subscription = discovery.subscribe(ServiceName.of("reviews", "default"), closed);
    RecordingListener open = subscribeReviews();
    await().atMost(SYNC).until(() -> closed.last() != null);
    subscription.close();

    reviewsPod("reviews-v1-0", "127.0.0.2", "v1");

    await().atMost(CHANGE).until(() -> open.endpoints().endpoints().size() == 1);
    assertThat(closed.events).hasSize(1);
  }
}
