package io.inboard.mesh.controlplane.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code inboardctl precheck} against fabric8's CRUD mock API server. */
class InstallPrecheckTest {
  KubernetesMockServer server;
  KubernetesClient client;
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void start() {
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    server = new KubernetesMockServer(new Context(Serialization.jsonMapper()),
        new MockWebServer(), responses, new KubernetesMixedDispatcher(responses), false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    version("30");
    client = server.createClient();
  }

  @AfterEach
  void stop() {
    client.close();
    server.destroy();
  }

  void version(String minor) {
    server.setVersionInfo(new VersionInfo.Builder().withMajor("1").withMinor(minor).build());
  }

  int precheck() {
    out.reset();
    err.reset();
    return InstallCommand.run(new String[] {"precheck"}, new ByteArrayInputStream(new byte[0]),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8),
        server::createClient);
  }

  String out() {
    return out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void emptyRecentClusterHasNoIssues() {
    assertThat(precheck()).as("output").withFailMessage(() -> out()).isEqualTo(InboardCtl.OK);

    assertThat(out()).contains("✔ No issues found when checking the cluster. Inboard is safe"
        + " to install or upgrade!");
    // the CRUD mock stores reviews without evaluating them: said, and checked by listing
    assertThat(out()).contains("checked by listing each kind instead");
  }

  /** Through {@code InboardCtl.run}, with the cluster named as a user would: a system property. */
  @Test
  void findsTheClusterThroughTheDefaultClientConfiguration() {
    Map<String, String> properties = Map.of("kubernetes.master", server.url("/"),
        "kubernetes.auth.tryKubeConfig", "false", "kubernetes.auth.tryServiceAccount", "false");
    properties.forEach(System::setProperty);
    try {
      out.reset();
      int code = InboardCtl.run(new String[] {"precheck"}, new ByteArrayInputStream(new byte[0]),
          new PrintStream(out, true, StandardCharsets.UTF_8),
          new PrintStream(err, true, StandardCharsets.UTF_8));
      assertThat(code).withFailMessage(() -> out()).isEqualTo(InboardCtl.OK);
      assertThat(out()).contains("✔ No issues found");
    } finally {
      properties.keySet().forEach(System::clearProperty);
    }
  }

  @Test
  void unreachableApiServerExitsFourNamingIt() {
    String url = server.url("/");
    server.destroy();

    out.reset();
    int code = InstallCommand.run(new String[] {"precheck"}, new ByteArrayInputStream(
        new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8),
        () -> new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(
            new io.fabric8.kubernetes.client.ConfigBuilder().withMasterUrl(url)
                .withRequestRetryBackoffLimit(0).build()).build());

    assertThat(code).isEqualTo(InboardCtl.UNAVAILABLE);
    assertThat(out()).contains("error: Kubernetes API at " + url)
        .contains("(expected: a reachable API server)");
  }

  @Test
  void kubernetesOlderThan126IsAnError() {
    version("24");

    assertThat(precheck()).as("output").withFailMessage(() -> out()).isEqualTo(InboardCtl.INVALID);

    assertThat(out()).contains("✘ Kubernetes version: 1.24 (expected: 1.26 or newer)")
        .doesNotContain("No issues found");
  }

  @Test
  void istiodBesideIsAWarning() {
    client.resource(new DeploymentBuilder().withNewMetadata().withName("istiod")
        .withNamespace("istio-system").addToLabels("app", "istiod").endMetadata().build())
        .create();

    assertThat(precheck()).as("output").withFailMessage(() -> out()).isEqualTo(InboardCtl.OK);

    assertThat(out()).contains("! Istio control plane: Deployment istio-system/istiod runs in"
        + " this cluster").doesNotContain("No issues found");
  }

  @Test
  void istiosCrdIsFineAndAForeignOneIsNot() {
    client.resource(new CustomResourceDefinitionBuilder().withNewMetadata()
        .withName("virtualservices.networking.istio.io").endMetadata().withNewSpec()
        .withGroup("networking.istio.io").withScope("Namespaced").withNewNames()
        .withKind("VirtualService").withPlural("virtualservices").endNames().addNewVersion()
        .withName("v1beta1").withServed(true).withStorage(true).endVersion().endSpec().build())
        .create();
    assertThat(precheck()).as("output").withFailMessage(() -> out()).isEqualTo(InboardCtl.OK);

    client.resource(new CustomResourceDefinitionBuilder().withNewMetadata()
        .withName("gateways.networking.istio.io").endMetadata().withNewSpec()
        .withGroup("networking.istio.io").withScope("Namespaced").withNewNames()
        .withKind("Gateway").withPlural("gateways").endNames().addNewVersion()
        .withName("v2").withServed(true).withStorage(true).endVersion().endSpec().build())
        .create();

    assertThat(precheck()).as("output").withFailMessage(() -> out()).isEqualTo(InboardCtl.INVALID);
    assertThat(out()).contains("✘ CRD gateways.networking.istio.io: exists and is not"
        + " Istio's: kind Gateway, served versions [v2] (expected: kind Gateway serving one of"
        + " [v1, v1beta1, v1alpha3])");
  }

  @Test
  void deniedPermissionIsNamed() {
    // a server that evaluates reviews: this caller may do everything but delete Deployments
    server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews")
        .andReply(201, request -> {
          SelfSubjectAccessReview r = Serialization.unmarshal(request.getBody().readUtf8(),
              SelfSubjectAccessReview.class);
          var a = r.getSpec().getResourceAttributes();
          r.setStatus(new io.fabric8.kubernetes.api.model.authorization.v1
              .SubjectAccessReviewStatusBuilder().withAllowed(!(a.getResource()
                  .equals("deployments") && a.getVerb().equals("delete"))).build());
          return r;
        }).always();

    assertThat(precheck()).as("output").withFailMessage(() -> out()).isEqualTo(InboardCtl.INVALID);

    assertThat(out()).contains("✘ permissions: cannot delete deployments.apps")
        .doesNotContain("checked by listing");
  }
}
