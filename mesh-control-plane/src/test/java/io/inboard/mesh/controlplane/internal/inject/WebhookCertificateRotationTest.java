package io.inboard.mesh.controlplane.internal.inject;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.inboard.mesh.controlplane.ControlPlane;
import io.inboard.mesh.controlplane.InternalControlPlane;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The webhook's certificate follows the CA: after a root rotation it is re-issued by the new
 * root, so that an API server given only the new bundle (the patched {@code caBundle}) still
 * reaches it.
 */
class WebhookCertificateRotationTest {

  @Test
  void afterRootRotation_theWebhookServesACertificateOfTheNewRoot() throws Exception {
    try (ControlPlane cp = ControlPlane.builder().xdsPort(0).adminPort(-1).start()) {
      X509Certificate newRoot = cp.rotateRoot(Duration.ofSeconds(2));
      var webhook = InternalControlPlane.injectionWebhook(cp).orElseThrow();

      await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
          assertThat(webhook.servingChain().get(webhook.servingChain().size() - 1))
              .isEqualTo(newRoot));
      WebhookHttps https = new WebhookHttps(List.of(newRoot), cp.injectionPort());
      HttpResponse<String> r = https.post("/inject", "application/json",
          InjectionWebhookTest.podReview("rotated", "{\"name\": \"p\"}",
              InjectionWebhookTest.SPEC));
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).contains("\"patchType\":\"JSONPatch\"");
    }
  }
}
