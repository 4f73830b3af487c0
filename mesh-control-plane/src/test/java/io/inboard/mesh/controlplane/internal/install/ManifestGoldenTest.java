package io.inboard.mesh.controlplane.internal.install;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.Service;
import io.inboard.mesh.controlplane.ControlPlane;
import io.inboard.mesh.controlplane.Diagnostics;
import io.inboard.mesh.controlplane.internal.parse.ResourceParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code manifest generate} for each profile against its golden file
 * ({@code src/test/resources/install/<profile>.yaml}), and what every rendered document must be.
 * After a deliberate template change, regenerate the golden files with
 * {@code -Dinstall.regenerate=true} and review the diff.
 */
class ManifestGoldenTest {

  @ParameterizedTest
  @EnumSource(Profile.class)
  void rendersTheGoldenFile(Profile profile) throws IOException {
    String rendered = ManifestRenderer.render(InstallValues.defaults(profile)).yaml();
    Path golden = Path.of("src/test/resources/install/" + profile.id() + ".yaml");
    if (Boolean.getBoolean("install.regenerate")) {
      Files.writeString(golden, rendered);
    }
    assertThat(rendered).isEqualTo(resource("/install/" + profile.id() + ".yaml"));
  }

  @ParameterizedTest
  @EnumSource(Profile.class)
  void everyDocumentIsAKnownKindWithNoUnknownField(Profile profile) {
    List<String> problems = new ArrayList<>();
    // parsed again from the text as printed, not from the objects install applies
    String yaml = ManifestRenderer.render(InstallValues.defaults(profile)).yaml();
    for (HasMetadata o : ManifestDocuments.parse(profile.id(), yaml)) {
      if (o instanceof GenericKubernetesResource g) {
        // the one custom resource: Istio's Telemetry, whose fields fabric8 does not model
        assertThat(g.getApiVersion() + " " + g.getKind()).isEqualTo(
            "telemetry.istio.io/v1 Telemetry");
        assertThat(((Map<?, ?>) g.getAdditionalProperties().get("spec")).keySet().stream()
            .map(Object::toString).toList()).containsExactlyInAnyOrder("tracing",
                "accessLogging");
        continue;
      }
      UnknownFields.in(o).forEach(f -> problems.add(ManagedObjects.describe(o) + ": " + f));
    }
    assertThat(problems).as("fields Kubernetes does not know").isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Profile.class)
  void everyObjectCarriesTheManagerAndItsComponentLabel(Profile profile) {
    for (RenderedManifest.Part part : ManifestRenderer.render(InstallValues.defaults(profile))
        .parts()) {
      for (HasMetadata o : part.objects()) {
        assertThat(o.getMetadata().getLabels()).as("%s labels", ManagedObjects.describe(o))
            .containsEntry("app.kubernetes.io/managed-by", "inboardctl")
            .containsEntry("inboard.io/component", part.component().label());
      }
    }
  }

  @Test
  void profilesDifferByGatewayAndTelemetryAndRequests() {
    assertThat(kinds(Profile.MINIMAL)).doesNotContain("Deployment inboard-system/"
        + "istio-ingressgateway").doesNotContain("Telemetry istio-system/mesh-default");
    assertThat(kinds(Profile.DEFAULT)).contains("Deployment inboard-system/istio-ingressgateway",
        "Service inboard-system/istio-ingressgateway")
        .doesNotContain("Telemetry istio-system/mesh-default");
    assertThat(kinds(Profile.DEMO)).contains("Deployment inboard-system/istio-ingressgateway",
        "Telemetry istio-system/mesh-default");
    Deployment demoCp = deployment(Profile.DEMO, "inboard-control-plane");
    assertThat(demoCp.getSpec().getTemplate().getSpec().getContainers().get(0).getResources()
        .getRequests()).containsEntry("cpu", new io.fabric8.kubernetes.api.model.Quantity("10m"))
        .containsEntry("memory", new io.fabric8.kubernetes.api.model.Quantity("64Mi"));
    assertThat(deployment(Profile.DEFAULT, "inboard-control-plane").getSpec().getTemplate()
        .getSpec().getContainers().get(0).getResources().getRequests())
        .containsEntry("cpu", new io.fabric8.kubernetes.api.model.Quantity("200m"));
  }

  @Test
  void webhookIsFailOpenWithoutCaBundleAndIstiosSelectors() {
    MutatingWebhookConfiguration w = (MutatingWebhookConfiguration) ManifestRenderer
        .render(InstallValues.defaults(Profile.MINIMAL)).part(ManifestRenderer.WEBHOOK)
        .objects().get(0);
    assertThat(w.getWebhooks()).extracting(MutatingWebhook::getName).containsExactly(
        "namespace.sidecar-injector.inboard.io", "object.sidecar-injector.inboard.io");
    for (MutatingWebhook h : w.getWebhooks()) {
      assertThat(h.getFailurePolicy()).isEqualTo("Ignore");
      assertThat(h.getClientConfig().getCaBundle()).isNull();
      assertThat(h.getClientConfig().getService().getName() + "."
          + h.getClientConfig().getService().getNamespace() + ":"
          + h.getClientConfig().getService().getPort() + h.getClientConfig().getService()
          .getPath()).isEqualTo("inboard-control-plane.inboard-system:15017/inject");
      assertThat(h.getSideEffects()).isEqualTo("None");
      assertThat(h.getAdmissionReviewVersions()).containsExactly("v1");
      assertThat(h.getTimeoutSeconds()).isEqualTo(10);
      assertThat(h.getRules()).singleElement().satisfies(r -> {
        assertThat(r.getOperations()).containsExactly("CREATE");
        assertThat(r.getResources()).containsExactly("pods");
      });
      assertThat(h.getNamespaceSelector().getMatchExpressions()).anySatisfy(e -> {
        assertThat(e.getKey()).isEqualTo("kubernetes.io/metadata.name");
        assertThat(e.getOperator()).isEqualTo("NotIn");
        assertThat(e.getValues()).containsExactlyInAnyOrder("kube-system", "inboard-system");
      });
    }
  }

  @Test
  void gatewayCarriesTheInjectedEnvironmentAndIstiosPorts() {
    Deployment d = deployment(Profile.DEFAULT, "istio-ingressgateway");
    var pod = d.getSpec().getTemplate();
    assertThat(pod.getMetadata().getLabels()).containsEntry("istio", "ingressgateway")
        .containsEntry("app", "istio-ingressgateway");
    var c = pod.getSpec().getContainers().get(0);
    assertThat(c.getImage()).isEqualTo("inboard/gateway:0.1.0");
    assertThat(c.getEnv()).extracting(e -> e.getName() + "=" + (e.getValue() != null
            ? e.getValue() : e.getValueFrom().getFieldRef().getFieldPath()))
        .contains("INBOARD_CONTROL_PLANE=inboard-control-plane.inboard-system.svc:15010",
            "CA_ADDR=inboard-control-plane.inboard-system.svc:15012",
            "POD_NAME=metadata.name", "POD_NAMESPACE=metadata.namespace",
            "SERVICE_ACCOUNT=spec.serviceAccountName", "INSTANCE_IP=status.podIP",
            "INBOARD_WORKLOAD_NAME=istio-ingressgateway", "CLUSTER_ID=Kubernetes",
            "INBOARD_POD_LABELS_FILE=/etc/istio/pod/labels",
            "INBOARD_IDENTITY_TOKEN_FILE=/var/run/secrets/tokens/istio-token",
            "INBOARD_CA_ROOT_CERT=/var/run/secrets/istio/root-cert.pem");
    assertThat(c.getVolumeMounts()).extracting(m -> m.getName() + "@" + m.getMountPath())
        .containsExactlyInAnyOrder("inboard-podinfo@/etc/istio/pod",
            "istio-token@/var/run/secrets/tokens", "istiod-ca-cert@/var/run/secrets/istio");
    var token = pod.getSpec().getVolumes().stream().filter(v -> v.getName().equals("istio-token"))
        .findFirst().orElseThrow().getProjected().getSources().get(0).getServiceAccountToken();
    assertThat(token.getAudience() + " " + token.getExpirationSeconds() + " " + token.getPath())
        .isEqualTo("istio-ca 43200 istio-token");
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/healthz/ready");
    Service s = (Service) ManifestRenderer.render(InstallValues.defaults(Profile.DEFAULT))
        .objects().stream().filter(o -> o instanceof Service
            && o.getMetadata().getName().equals("istio-ingressgateway")).findFirst().orElseThrow();
    assertThat(s.getSpec().getType()).isEqualTo("LoadBalancer");
    assertThat(s.getSpec().getPorts()).extracting(p -> p.getName() + " " + p.getPort() + "->"
        + p.getTargetPort().getIntVal()).containsExactly("status-port 15021->15021",
            "http2 80->8080", "https 443->8443");
  }

  /** The control plane reads the demo's Telemetry without an error, warning or unserved field. */
  @Test
  void demoTelemetryIsServedInFullByTheControlPlane() {
    String yaml = ManifestRenderer.render(InstallValues.defaults(Profile.DEMO))
        .part("telemetry.yaml").yaml();
    ResourceParser.Result r = new ResourceParser(ControlPlane.DEFAULT_NAMESPACE,
        ControlPlane.DEFAULT_CLUSTER_DOMAIN, ControlPlane.DEFAULT_ROOT_NAMESPACE, List.of())
        .parse("telemetry.yaml", yaml);
    Diagnostics d = new Diagnostics(r.diagnostics());

    assertThat(d.errors()).isEmpty();
    assertThat(d.warnings()).isEmpty();
    assertThat(d.notServed()).isEmpty();
    assertThat(r.resources()).singleElement().satisfies(p -> assertThat(p.id().kind() + " "
        + p.id().namespace() + "/" + p.id().name()).isEqualTo("Telemetry istio-system/"
            + "mesh-default"));
  }

  private static List<String> kinds(Profile p) {
    return ManifestRenderer.render(InstallValues.defaults(p)).objects().stream()
        .map(ManagedObjects::describe).toList();
  }

  private static Deployment deployment(Profile p, String name) {
    return ManifestRenderer.render(InstallValues.defaults(p)).objects().stream()
        .filter(o -> o instanceof Deployment && o.getMetadata().getName().equals(name))
        .map(Deployment.class::cast).findFirst().orElseThrow();
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = ManifestGoldenTest.class.getResourceAsStream(name)) {
      assertThat(in).as("golden file %s (regenerate with -Dinstall.regenerate=true)", name)
          .isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
