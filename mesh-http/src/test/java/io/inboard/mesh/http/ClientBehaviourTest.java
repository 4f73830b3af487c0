package io.inboard.mesh.http;

import static io.inboard.mesh.http.TestCluster.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.ServiceName;
import io.inboard.mesh.api.ServiceUnavailableException;
import io.inboard.mesh.api.ServiceUnavailableException.Reason;
import io.inboard.mesh.api.discovery.Endpoint;
import io.inboard.mesh.api.discovery.EndpointDiscovery;
import io.inboard.mesh.api.discovery.EndpointListener;
import io.inboard.mesh.api.discovery.ServiceEndpoints;
import io.inboard.mesh.api.discovery.StaticDiscovery;
import io.inboard.mesh.api.policy.ClientPolicy;
import io.inboard.mesh.api.policy.ConnectionPoolSettings;
import io.inboard.mesh.api.policy.LoadBalancerPolicy;
import io.inboard.mesh.testing.HttpBackendExtension;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Client behaviour that needs no Kubernetes API: discovery given by the test. */
class ClientBehaviourTest {

  private static final ServiceName REVIEWS = ServiceName.of("reviews", "default");

  /** A discovery that answers only when the test says so. */
  static final class ManualDiscovery implements EndpointDiscovery {
    volatile EndpointListener listener;

    @Override
    public Subscription subscribe(ServiceName service, EndpointListener l) {
      listener = l;
      return () -> { };
    }

    @Override
    public void close() { }
  }

  @RegisterExtension
  final HttpBackendExtension a = HttpBackendExtension.on("127.0.0.2").build();
  @RegisterExtension
  final HttpBackendExtension b = HttpBackendExtension.on("127.0.0.3").build();
  private Mesh mesh;

  @AfterEach
  void close() {
    mesh.close();
  }

  private Mesh staticMesh() {
    StaticDiscovery d = new StaticDiscovery().put(REVIEWS,
        List.of(Endpoint.ready("127.0.0.2", a.port()), Endpoint.ready("127.0.0.3", b.port())));
    mesh = Mesh.builder().workloadName("test").namespace("default").discovery(d).build();
    return mesh;
  }

  @Test
  void firstCallWaitsForDiscoveryThenFailsWithNotYetDiscovered() {
    mesh = Mesh.builder().workloadName("test").namespace("default")
        .discovery(new ManualDiscovery()).build();
    MeshHttpClient http = MeshHttpClient.builder(mesh).discoveryTimeout(Duration.ofMillis(200))
        .build();

    assertThatThrownBy(() -> http.send(get("http://reviews/"), BodyHandlers.ofString()))
        .isInstanceOfSatisfying(ServiceUnavailableException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.NOT_YET_DISCOVERED))
        .hasMessageContaining("service 'reviews' in namespace 'default' not discovered yet");
  }

  @Test
  void firstCallProceedsWhenDiscoveryAnswersWithinTheBound() throws Exception {
    ManualDiscovery discovery = new ManualDiscovery();
    mesh = Mesh.builder().workloadName("test").namespace("default").discovery(discovery).build();
    MeshHttpClient http = MeshHttpClient.of(mesh);

    CompletableFuture<HttpResponse<String>> f =
        http.sendAsync(get("http://reviews/x"), BodyHandlers.ofString());
    assertThat(f).isNotDone();
    discovery.listener.onEndpoints(new ServiceEndpoints(REVIEWS,
        List.of(Endpoint.ready("127.0.0.2", a.port()))));

    assertThat(f.get().body()).isEqualTo("127.0.0.2");
  }

  @Test
  void shedsCallsBeyondConnectionsAndPendingWithOverloaded() throws Exception {
    // one connection (one HTTP/1.1 request at a time) and one call waiting for it
    MeshHttpClient http = MeshHttpClient.builder(staticMesh()).defaultPolicy(ClientPolicy.builder()
        .connectionPool(new ConnectionPoolSettings(1, 1, 100, 100, Duration.ofSeconds(1)))
        .build()).build();
    a.hold();
    b.hold();

    CompletableFuture<HttpResponse<String>> first = http.sendAsync(get("http://reviews/"),
        BodyHandlers.ofString());
    await().atMost(Duration.ofSeconds(5)).until(() -> a.calls() + b.calls() == 1);
    CompletableFuture<HttpResponse<String>> pending = http.sendAsync(get("http://reviews/"),
        BodyHandlers.ofString());
    CompletableFuture<HttpResponse<String>> shed = http.sendAsync(get("http://reviews/"),
        BodyHandlers.ofString());

    assertThatThrownBy(shed::get).isInstanceOf(ExecutionException.class)
        .cause().isInstanceOfSatisfying(ServiceUnavailableException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.OVERLOADED));
    assertThat(a.calls() + b.calls()).isEqualTo(1);
    a.release();
    b.release();
    assertThat(first.get().statusCode()).isEqualTo(200);
    assertThat(pending.get().statusCode()).isEqualTo(200);
  }

  @Test
  void maxRetriesZeroMeansNoRetriesWhateverTheAttempts() throws Exception {
    a.status(503);
    b.status(503);
    MeshHttpClient http = MeshHttpClient.builder(staticMesh()).defaultPolicy(ClientPolicy.builder()
        .retry(io.inboard.mesh.api.policy.RetryPolicy.ISTIO_DEFAULT)
        .connectionPool(new ConnectionPoolSettings(100, 100, 100, 0, Duration.ofSeconds(1)))
        .build()).build();

    assertThat(http.send(get("http://reviews/"), BodyHandlers.ofString()).statusCode())
        .isEqualTo(503);
    assertThat(a.calls() + b.calls()).isEqualTo(1);
  }

  @Test
  void consistentHashKeepsAHeaderOnOneEndpoint() throws Exception {
    MeshHttpClient http = MeshHttpClient.builder(staticMesh()).policy("reviews",
        ClientPolicy.builder().loadBalancer(new LoadBalancerPolicy.ConsistentHash(
            new LoadBalancerPolicy.HashKey.Header("end-user"), 1024)).build()).build();
    Set<String> forUser = new HashSet<>();
    Set<String> all = new HashSet<>();
    for (int i = 0; i < 40; i++) {
      forUser.add(http.send(HttpRequest.newBuilder(java.net.URI.create("http://reviews/"))
          .header("end-user", "jason").build(), BodyHandlers.ofString()).body());
      all.add(http.send(HttpRequest.newBuilder(java.net.URI.create("http://reviews/"))
          .header("end-user", "user-" + i).build(), BodyHandlers.ofString()).body());
    }
    assertThat(forUser).hasSize(1);
    assertThat(all).containsExactlyInAnyOrder("127.0.0.2", "127.0.0.3");
  }

  @Test
  void closingTheMeshClosesTheClient() {
    MeshHttpClient http = MeshHttpClient.of(staticMesh());
    mesh.close();
    assertThatThrownBy(() -> http.sendAsync(get("http://reviews/"), BodyHandlers.ofString()))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
  }
}
