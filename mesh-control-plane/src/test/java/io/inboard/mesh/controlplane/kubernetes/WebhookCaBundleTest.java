package io.inboard.mesh.controlplane.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.inboard.mesh.controlplane.ControlPlane;
import io.inboard.mesh.security.internal.pki.Pem;
import io.inboard.mesh.testing.MockCluster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * In Kubernetes mode the control plane keeps the {@code caBundle} of every webhook of
 * {@code inboard-sidecar-injector} equal to its CA's roots, against the CRUD mock API server:
 * when the configuration appears, after a root rotation, and after a hand edit.
 */
class WebhookCaBundleTest {

  static MutatingWebhook webhook(String name) {
    return new MutatingWebhookBuilder().withName(name).withAdmissionReviewVersions("v1")
        .withSideEffects("None").withFailurePolicy("Ignore").withNewClientConfig()
        .withNewService().withName("inboard-control-plane").withNamespace("inboard-system")
        .withPort(15017).withPath("/inject").endService().endClientConfig().build();
  }

  static List<String> bundles(KubernetesClient client) {
    MutatingWebhookConfiguration c = client.admissionRegistration().v1()
        .mutatingWebhookConfigurations().withName("inboard-sidecar-injector").get();
    return c.getWebhooks().stream().map(w -> String.valueOf(w.getClientConfig().getCaBundle()))
        .toList();
  }

  static String expected(ControlPlane cp) {
    return Base64.getEncoder().encodeToString(
        Pem.encode(cp.rootCertificates()).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void caBundle_followsTheCaRoots_fromCreationThroughRotationAndHandEdits() throws Exception {
    try (MockCluster cluster = MockCluster.start();
        ControlPlane cp = ControlPlane.builder().xdsPort(0).adminPort(-1)
            .controlPlaneNamespace("inboard-system").start();
        KubernetesConfigSource source = KubernetesConfigSource.start(cluster.client(), cp)) {
      KubernetesClient client = cluster.client();
      client.admissionRegistration().v1().mutatingWebhookConfigurations().resource(
          new MutatingWebhookConfigurationBuilder().withNewMetadata()
              .withName("inboard-sidecar-injector").endMetadata()
              .withWebhooks(webhook("namespace.sidecar-injector.inboard.io"),
                  webhook("object.sidecar-injector.inboard.io")).build()).create();

      await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
          assertThat(bundles(client)).containsExactly(expected(cp), expected(cp)));

      cp.rotateRoot(Duration.ofHours(1));
      assertThat(cp.rootCertificates()).hasSize(2);
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
          assertThat(bundles(client)).containsExactly(expected(cp), expected(cp)));

      MutatingWebhookConfiguration edited = client.admissionRegistration().v1()
          .mutatingWebhookConfigurations().withName("inboard-sidecar-injector").get();
      edited.getWebhooks().get(1).getClientConfig().setCaBundle(
          Base64.getEncoder().encodeToString("stale".getBytes(StandardCharsets.UTF_8)));
      client.admissionRegistration().v1().mutatingWebhookConfigurations().resource(edited)
          .update();
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
          assertThat(bundles(client)).containsExactly(expected(cp), expected(cp)));
    }
  }

  @Test
  void otherWebhookConfigurations_areLeftAlone() throws Exception {
    try (MockCluster cluster = MockCluster.start();
        ControlPlane cp = ControlPlane.builder().xdsPort(0).adminPort(-1).start();
        KubernetesConfigSource source = KubernetesConfigSource.start(cluster.client(), cp)) {
      KubernetesClient client = cluster.client();
      client.admissionRegistration().v1().mutatingWebhookConfigurations().resource(
          new MutatingWebhookConfigurationBuilder().withNewMetadata().withName("istio-sidecar-injector")
              .endMetadata().withWebhooks(webhook("a.istio.io")).build()).create();
      client.admissionRegistration().v1().mutatingWebhookConfigurations().resource(
          new MutatingWebhookConfigurationBuilder().withNewMetadata()
              .withName("inboard-sidecar-injector").endMetadata()
              .withWebhooks(webhook("namespace.sidecar-injector.inboard.io")).build()).create();

      await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
          assertThat(bundles(client)).containsExactly(expected(cp)));
      assertThat(client.admissionRegistration().v1().mutatingWebhookConfigurations()
          .withName("istio-sidecar-injector").get().getWebhooks().get(0).getClientConfig()
          .getCaBundle()).isNull();
    }
  }
}
