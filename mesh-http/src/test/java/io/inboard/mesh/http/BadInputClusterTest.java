package io.inboard.mesh.http;

import static io.inboard.mesh.http.TestCluster.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inboard.mesh.api.ServiceUnavailableException;
import io.inboard.mesh.api.ServiceUnavailableException.Reason;
import io.inboard.mesh.testing.HttpBackendExtension;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class BadInputClusterTest {

  @RegisterExtension
  static final TestCluster fx = new TestCluster().service("reviews");

  private static final MeshHttpClient http = MeshHttpClient.of(fx.mesh());

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
    fx.service("ratings");
    fx.pod("ratings", "ratings-v1-0", "127.0.0.20");
    fx.setReady("ratings-v1-0", false);
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
        .untilAsserted(() -> assertUnavailable("http://ratings:9080/", Reason.NO_READY_ENDPOINTS,
            "ratings", "default"));
  }

  @Test
  void nonMeshHostGoesOutUnchanged() throws Exception {
    try (HttpBackendExtension outside = HttpBackendExtension.on("127.0.0.30").build().start()) {
      String body = http.send(get(outside.uri("/x").toString()), BodyHandlers.ofString()).body();
      assertThat(body).isEqualTo("127.0.0.30");
      assertThat(outside.lastRequest().orElseThrow().uri().getPath()).isEqualTo("/x");
    }
  }
}
