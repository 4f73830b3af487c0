package io.inboard.mesh.http;

import static io.inboard.mesh.http.TestCluster.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.inboard.mesh.api.annotation.MeshClient;
import io.inboard.mesh.api.policy.ClientPolicy;
import io.inboard.mesh.api.policy.RetryOn;
import io.inboard.mesh.api.policy.RetryPolicy;
import io.inboard.mesh.http.annotation.Get;
import io.inboard.mesh.testing.HttpBackendExtension;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An application's client on {@link HttpTransport#NETTY} in Kubernetes-API mode: discovery,
 * load balancing, retries to another endpoint and declarative clients behave as on the JDK
 * client (the xDS-mode route policy over it is {@link NettyXdsHttpPolicyTest}'s).
 */
class NettyKubernetesClientTest {

  private static final String URI = "http://reviews.default.svc.cluster.local:9080/reviews/0";

  @RegisterExtension
  final TestCluster fx = new TestCluster().service("reviews");

  @MeshClient("reviews:9080")
  interface ReviewsApi {
    @Get("/reviews/0")
    String review();
  }

  private MeshHttpClient client(ClientPolicy policy) {
    return MeshHttpClient.builder(fx.mesh()).policy("reviews", policy)
        .transport(HttpTransport.NETTY).build();
  }

  @Test
  void callsByServiceName_reachEveryReadyPod() throws Exception {
    HttpBackendExtension a = fx.pod("reviews", "reviews-v1-0", "127.0.0.2");
    HttpBackendExtension b = fx.pod("reviews", "reviews-v1-1", "127.0.0.3");
    MeshHttpClient http = client(ClientPolicy.EMPTY);

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      HttpResponse<String> r = http.send(get(URI), BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(a.calls()).isPositive();
      assertThat(b.calls()).isPositive();
    });
    assertThat(a.lastRequest().orElseThrow().uri().getPath()).isEqualTo("/reviews/0");
  }

  @Test
  void a503IsRetriedOnTheOtherPod() throws Exception {
    HttpBackendExtension failing = fx.pod("reviews", "reviews-v1-0", "127.0.0.2");
    HttpBackendExtension healthy = fx.pod("reviews", "reviews-v1-1", "127.0.0.3");
    failing.status(503);
    MeshHttpClient http = client(ClientPolicy.builder()
        .retry(RetryPolicy.of(1, Duration.ZERO, RetryOn.parse("503"))).build());
    // both pods discovered: calls have reached each
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      http.send(get(URI), BodyHandlers.ofString());
      return failing.calls() > 0 && healthy.calls() > 0;
    });
    int failedBefore = failing.calls();

    for (int i = 0; i < 6; i++) {
      assertThat(http.send(get(URI), BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    }
    // round robin sent some of the six to the failing pod first; each was retried
    assertThat(failing.calls() - failedBefore).isPositive();
  }

  @Test
  void declarativeClients_runOnTheNettyTransportToo() {
    HttpBackendExtension pod = fx.pod("reviews", "reviews-v1-0", "127.0.0.2")
        .body(r -> "review of " + r.uri().getPath());
    ReviewsApi api = client(ClientPolicy.EMPTY).create(ReviewsApi.class);

    await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
        .until(() -> api.review().equals("review of /reviews/0"));
    assertThat(pod.calls()).isPositive();
  }
}
