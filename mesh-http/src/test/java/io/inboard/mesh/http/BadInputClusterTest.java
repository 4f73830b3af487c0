package io.inboard.mesh.http;

import static io.inboard.mesh.http.ClusterFixture.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inboard.mesh.api.ServiceUnavailableException;
import io.inboard.mesh.api.ServiceUnavailableException.Reason;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class BadInputClusterTest {

  private static final ClusterFixture fx = new ClusterFixture().service("reviews");
  private static final MeshHttpClient http = MeshHttpClient.of(fx.mesh);

  @AfterAll
  static void close() {
    fx.close();
  }

  private static void assertUnavailable(String uri, Reason reason, String service,
      String namespace) {
    assertThatThrownBy(() -> http.send(get(uri), BodyHandlers.ofString()))
        .isInstanceOfSatisfying(ServiceUnavailableException.class,
            e -> assertThat(e.reason()).isEqualTo(reason))
        .hasMessageContaining("service '" + service + "' in namespace '" + namespace + "'");
  }

  @Test
  void unknownServiceFailsNamingServiceAndNamespace() {
    assertUnavailable("http://nosuch:9080/", Reason.SERVICE_NOT_FOUND, "nosuch", "default");
  }

  @Test
  void unknownNamespaceFailsNamingServiceAndNamespace() {
    assertUnavailable("http://reviews.nowhere:9080/", Reason.NAMESPACE_NOT_FOUND, "reviews",
        "nowhere");
  }

  @Test
  void serviceWithoutReadyEndpointsFailsNamingServiceAndNamespace() {
    fx.cluster.service("ratings", "default").selector("app", "ratings")
        .port("http", 9080, fx.targetPort).create();
    fx.pod("ratings", "ratings-v1-0", "127.0.0.20");
    fx.cluster.setReady("default", "ratings-v1-0", false);
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
        .untilAsserted(() -> assertUnavailable("http://ratings:9080/", Reason.NO_READY_ENDPOINTS,
            "ratings", "default"));
  }

  @Test
  void nonMeshHostGoesOutUnchanged() throws Exception {
    try (Backend outside = Backend.start("127.0.0.30", 0)) {
      String body = http.send(get("http://127.0.0.30:" + outside.port + "/x"),
          BodyHandlers.ofString()).body();
      assertThat(body).isEqualTo("127.0.0.30");
    }
  }
}
