package io.inboard.mesh.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.discovery.StaticDiscovery;
import io.inboard.mesh.api.policy.ClientPolicy;
import io.inboard.mesh.api.policy.OutlierDetectionPolicy;
import io.inboard.mesh.api.policy.RetryOn;
import io.inboard.mesh.api.policy.RetryPolicy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The README's "HTTP" snippet, kept compiling against the API it shows. */
class ReadmeSnippetsTest {

  @Test
  void httpSectionPolicyBuildsWithStatedDefaults() {
    try (Mesh mesh = Mesh.builder().workloadName("productpage-v1").namespace("default")
        .discovery(new StaticDiscovery()).adminPort(-1).build()) {
      ClientPolicy ratingsPolicy = ClientPolicy.builder()
          .retry(RetryPolicy.builder()
              .perTryTimeout(Duration.ofMillis(500))
              .retryOn(RetryOn.parse("5xx,connect-failure"))
              .build())
          .timeout(Duration.ofSeconds(3))
          .outlierDetection(OutlierDetectionPolicy.builder()
              .consecutive5xxErrors(3)
              .build())
          .build();
      try (MeshHttpClient http = MeshHttpClient.builder(mesh)
          .policy("ratings", ratingsPolicy)
          .build()) {
        assertThat(http).isNotNull();
      }

      RetryPolicy retry = ratingsPolicy.retry().orElseThrow();
      assertThat(retry.attempts()).isEqualTo(2);
      assertThat(retry.baseBackoff()).isEqualTo(Duration.ofMillis(25));
      OutlierDetectionPolicy od = ratingsPolicy.outlierDetection().orElseThrow();
      assertThat(od.baseEjectionTime()).isEqualTo(Duration.ofSeconds(30));
      assertThat(od.consecutive5xxErrors()).isEqualTo(3);
    }
  }
}
