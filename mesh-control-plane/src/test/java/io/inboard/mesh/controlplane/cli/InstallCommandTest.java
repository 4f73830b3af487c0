package io.inboard.mesh.controlplane.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.inboard.mesh.controlplane.internal.install.InstallClusterControllers;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code inboardctl install} and {@code uninstall} against fabric8's CRUD mock API server, with
 * {@link InstallClusterControllers} standing in for the controllers that report rollouts and
 * Established CRDs.
 */
class InstallCommandTest {
  static final ResourceDefinitionContext TELEMETRY = new ResourceDefinitionContext.Builder()
      .withGroup("telemetry.istio.io").withVersion("v1").withKind("Telemetry")
      .withPlural("telemetries").withNamespaced(true).build();

  KubernetesMockServer server;
  KubernetesClient client;
  InstallClusterControllers controllers;
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void start() {
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    server = new KubernetesMockServer(new Context(Serialization.jsonMapper()),
        new MockWebServer(), responses, new KubernetesMixedDispatcher(responses), false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    server.setVersionInfo(new VersionInfo.Builder().withMajor("1").withMinor("30").build());
    client = server.createClient();
  }

  @AfterEach
  void stop() {
    if (controllers != null) {
      controllers.close();
    }
    client.close();
    server.destroy();
  }

  int run(String stdin, String... args) {
    out.reset();
    err.reset();
    return InstallCommand.run(args, new ByteArrayInputStream(stdin.getBytes(
        StandardCharsets.UTF_8)), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), server::createClient);
  }

  int install(String... extra) {
    if (controllers == null) {
      controllers = InstallClusterControllers.start(client);
    }
    List<String> args = new ArrayList<>(List.of("install", "-y", "--readiness-timeout", "30s"));
    args.addAll(List.of(extra));
    return run("", args.toArray(String[]::new));
  }

  String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void installsTheDefaultProfileComponentByComponentWebhookLast() {
    assertThat(install("--profile", "default")).as(out() + err()).isEqualTo(InboardCtl.OK);

    assertThat(out()).containsSubsequence("✔ Inboard core installed",
        "✔ Inboard control plane installed", "✔ Ingress gateways installed",
        "✔ Installation complete");
    assertThat(client.namespaces().withName("inboard-system").get()).isNotNull();
    assertThat(client.namespaces().withName("istio-system").get()).isNotNull();
    assertThat(client.apiextensions().v1().customResourceDefinitions().list().getItems())
        .extracting(c -> c.getMetadata().getName())
        .contains("gateways.networking.istio.io", "virtualservices.networking.istio.io")
        .hasSize(9);
    assertThat(client.apps().deployments().inNamespace("inboard-system").list().getItems())
        .extracting(d -> d.getMetadata().getName())
        .containsExactlyInAnyOrder("inboard-control-plane", "istio-ingressgateway");
    assertThat(client.services().inNamespace("inboard-system").withName("istio-ingressgateway")
        .get().getSpec().getType()).isEqualTo("LoadBalancer");
    assertThat(webhook()).isNotNull();
    // the webhook was written after both Deployments: the control plane answered first
    long webhookVersion = Long.parseLong(webhook().getMetadata().getResourceVersion());
    for (Deployment d : client.apps().deployments().inNamespace("inboard-system").list()
        .getItems()) {
      assertThat(Long.parseLong(d.getMetadata().getResourceVersion()))
          .as("Deployment %s written and rolled out before the webhook", d.getMetadata()
              .getName()).isLessThan(webhookVersion);
    }
    assertThat(client.genericKubernetesResources(TELEMETRY).inAnyNamespace().list().getItems())
        .isEmpty();
  }

  @Test
  void triesServerSideApplyFirstAsFieldManagerInboardctl() throws Exception {
    assertThat(install("--profile", "minimal")).isEqualTo(InboardCtl.OK);

    List<String> patches = new ArrayList<>();
    int count = server.getRequestCount();
    for (int i = 0; i < count; i++) {
      var r = server.takeRequest(1, java.util.concurrent.TimeUnit.SECONDS);
      if (r != null && r.getMethod().equals("PATCH")) {
        patches.add(r.getHeader("Content-Type") + " " + r.getPath());
      }
    }
    assertThat(patches).anySatisfy(p -> assertThat(p)
        .startsWith("application/apply-patch+yaml")
        .contains("/api/v1/namespaces/inboard-system?")
        .contains("fieldManager=inboardctl").contains("force=true"));
  }

  @Test
  void secondInstallChangesNothingAndKeepsTheCaBundleTheControlPlaneWrote() {
    assertThat(install("--profile", "demo")).as(out()).isEqualTo(InboardCtl.OK);
    // what the control plane does at run time: write its CA into the webhook configuration
    client.admissionRegistration().v1().mutatingWebhookConfigurations()
        .withName("inboard-sidecar-injector").edit(w -> {
          w.getWebhooks().forEach(h -> h.getClientConfig().setCaBundle("Q0EtUEVN"));
          return w;
        });
    Map<String, String> before = resourceVersions();
    assertThat(before).as("objects install made").hasSizeGreaterThan(20);

    assertThat(install("--profile", "demo")).as(out()).isEqualTo(InboardCtl.OK);

    assertThat(resourceVersions()).isEqualTo(before);
    assertThat(webhook().getWebhooks()).allSatisfy(h ->
        assertThat(h.getClientConfig().getCaBundle()).isEqualTo("Q0EtUEVN"));
  }

  @Test
  void changedValuesUpdateInPlaceAndKeepTheCaBundle() {
    assertThat(install("--profile", "minimal")).isEqualTo(InboardCtl.OK);
    client.admissionRegistration().v1().mutatingWebhookConfigurations()
        .withName("inboard-sidecar-injector").edit(w -> {
          w.getWebhooks().forEach(h -> h.getClientConfig().setCaBundle("Q0EtUEVN"));
          w.getWebhooks().get(0).setTimeoutSeconds(30); // drift install must undo
          return w;
        });

    assertThat(install("--profile", "minimal", "--set", "tag=0.2.0")).as(out())
        .isEqualTo(InboardCtl.OK);

    assertThat(client.apps().deployments().inNamespace("inboard-system")
        .withName("inboard-control-plane").get().getSpec().getTemplate().getSpec()
        .getContainers().get(0).getImage()).isEqualTo("inboard/control-plane:0.2.0");
    assertThat(webhook().getWebhooks()).allSatisfy(h -> {
      assertThat(h.getClientConfig().getCaBundle()).isEqualTo("Q0EtUEVN");
      assertThat(h.getTimeoutSeconds()).isEqualTo(10);
    });
  }

  @Test
  void demoAddsMeshTelemetryInTheRootNamespace() {
    assertThat(install("--profile", "demo")).as(out()).isEqualTo(InboardCtl.OK);

    GenericKubernetesResource t = client.genericKubernetesResources(TELEMETRY)
        .inNamespace("istio-system").withName("mesh-default").get();
    assertThat(t).isNotNull();
    assertThat(t.get("spec", "tracing", 0, "randomSamplingPercentage").toString())
        .isEqualTo("100");
    assertThat((Object) t.get("spec", "accessLogging", 0, "disabled")).isEqualTo(false);
  }

  @Test
  void switchingToMinimalPrunesTheGateway() {
    assertThat(install("--profile", "default")).isEqualTo(InboardCtl.OK);

    assertThat(install("--profile", "minimal")).as(out()).isEqualTo(InboardCtl.OK);

    assertThat(out()).contains("removed Deployment inboard-system/istio-ingressgateway",
        "removed Service inboard-system/istio-ingressgateway");
    assertThat(out()).doesNotContain("Ingress gateways installed");
    assertThat(client.apps().deployments().inNamespace("inboard-system").list().getItems())
        .extracting(d -> d.getMetadata().getName()).containsExactly("inboard-control-plane");
    assertThat(client.serviceAccounts().inNamespace("inboard-system")
        .withName("istio-ingressgateway").get()).isNull();
  }

  @Test
  void skipsAnIstioCrdThatExistsAndSaysSo() {
    CustomResourceDefinition istios = new CustomResourceDefinitionBuilder().withNewMetadata()
        .withName("virtualservices.networking.istio.io").addToLabels("app", "istio-pilot")
        .endMetadata().withNewSpec().withGroup("networking.istio.io").withScope("Namespaced")
        .withNewNames().withKind("VirtualService").withPlural("virtualservices").endNames()
        .addNewVersion().withName("v1").withServed(true).withStorage(true).endVersion()
        .endSpec().build();
    client.resource(istios).create();

    assertThat(install("--profile", "minimal")).as(out()).isEqualTo(InboardCtl.OK);

    assertThat(out()).contains("CRD virtualservices.networking.istio.io already exists and is"
        + " not inboardctl's");
    assertThat(client.apiextensions().v1().customResourceDefinitions()
        .withName("virtualservices.networking.istio.io").get().getMetadata().getLabels())
        .containsExactly(Map.entry("app", "istio-pilot"));
  }

  @Test
  void adoptsCrdsFromTheHandAppliedIstioCrdsYamlOfEarlierReleases() {
    client.resource(new CustomResourceDefinitionBuilder().withNewMetadata()
        .withName("virtualservices.networking.istio.io")
        .addToLabels("app.kubernetes.io/part-of", "inboard").endMetadata().withNewSpec()
        .withGroup("networking.istio.io").withScope("Namespaced").withNewNames()
        .withKind("VirtualService").withPlural("virtualservices").endNames().addNewVersion()
        .withName("v1").withServed(true).withStorage(true).endVersion().endSpec().build())
        .create();

    assertThat(install("--profile", "minimal")).as(out()).isEqualTo(InboardCtl.OK);

    assertThat(out()).doesNotContain("skipped");
    CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions()
        .withName("virtualservices.networking.istio.io").get();
    assertThat(crd.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by",
        "inboardctl");
    assertThat(crd.getSpec().getVersions()).extracting(v -> v.getName())
        .containsExactly("v1", "v1beta1", "v1alpha3");
  }

  @Test
  void uninstallRemovesEverythingButCrdsWebhookFirst() {
    assertThat(install("--profile", "demo")).isEqualTo(InboardCtl.OK);

    assertThat(run("", "uninstall", "-y")).as(out() + err()).isEqualTo(InboardCtl.OK);

    assertThat(out()).containsSubsequence(
        "removed MutatingWebhookConfiguration inboard-sidecar-injector",
        "removed Deployment inboard-system/", "removed Namespace inboard-system",
        "✔ Uninstall complete");
    assertThat(managed()).isNotEmpty().allSatisfy(o ->
        assertThat(o).isInstanceOf(CustomResourceDefinition.class));
    assertThat(client.namespaces().withName("inboard-system").get()).isNull();
    // made by install, so removed by uninstall
    assertThat(client.namespaces().withName("istio-system").get()).isNull();
    assertThat(client.apps().deployments().inAnyNamespace().list().getItems()).isEmpty();
  }

  @Test
  void uninstallPurgeAlsoRemovesTheCrds() {
    assertThat(install("--profile", "minimal")).isEqualTo(InboardCtl.OK);

    assertThat(run("", "uninstall", "--purge", "-y")).isEqualTo(InboardCtl.OK);

    assertThat(managed()).isEmpty();
    assertThat(client.apiextensions().v1().customResourceDefinitions().list().getItems())
        .isEmpty();
  }

  @Test
  void uninstallLeavesAnIstioSystemNamespaceItDidNotCreate() {
    client.resource(new NamespaceBuilder().withNewMetadata().withName("istio-system")
        .endMetadata().build()).create();
    assertThat(install("--profile", "minimal")).isEqualTo(InboardCtl.OK);
    assertThat(client.namespaces().withName("istio-system").get().getMetadata().getLabels())
        .doesNotContainKey("app.kubernetes.io/managed-by");

    assertThat(run("", "uninstall", "--purge", "-y")).isEqualTo(InboardCtl.OK);

    assertThat(client.namespaces().withName("istio-system").get()).isNotNull();
  }

  @Test
  void uninstallKeepsTheRootNamespaceItCreatedWhileItHoldsUserPolicy() {
    assertThat(install("--profile", "minimal")).isEqualTo(InboardCtl.OK);
    client.genericKubernetesResources(new ResourceDefinitionContext.Builder()
        .withGroup("security.istio.io").withVersion("v1").withKind("PeerAuthentication")
        .withPlural("peerauthentications").withNamespaced(true).build())
        .inNamespace("istio-system").resource(new GenericKubernetesResourceBuilder()
            .withApiVersion("security.istio.io/v1").withKind("PeerAuthentication")
            .withNewMetadata().withName("default").withNamespace("istio-system").endMetadata()
            .addToAdditionalProperties("spec", Map.of("mtls", Map.of("mode", "STRICT"))).build())
        .create();

    assertThat(run("", "uninstall", "-y")).isEqualTo(InboardCtl.OK);

    assertThat(out()).contains("kept Namespace istio-system: install created it, but it now"
        + " holds what inboardctl did not make (PeerAuthentication default)");
    assertThat(client.namespaces().withName("istio-system").get()).isNotNull();
    assertThat(client.namespaces().withName("inboard-system").get()).isNull();
  }

  @Test
  void unknownSetKeyIsRefusedAndNothingChanges() {
    assertThat(install("--set", "values.global.proxy.image=x")).isEqualTo(InboardCtl.INVALID);

    assertThat(err()).contains("values.global.proxy.image", "'x'",
        "components.ingressGateways.enabled", "values.pilot.traceSampling");
    assertThat(client.namespaces().list().getItems()).isEmpty();
    assertThat(client.apiextensions().v1().customResourceDefinitions().list().getItems())
        .isEmpty();
  }

  @Test
  void badSetValueIsRefusedNamingKeyValueAndExpectation() {
    assertThat(install("--set", "values.pilot.traceSampling=150")).isEqualTo(InboardCtl.INVALID);

    assertThat(err()).contains("values.pilot.traceSampling: '150' (expected: a percentage,"
        + " 0.0 to 100.0)");
    assertThat(client.namespaces().list().getItems()).isEmpty();
  }

  @Test
  void declinedPromptChangesNothing() {
    assertThat(run("n\n", "install", "--profile", "minimal")).isEqualTo(InboardCtl.INVALID);

    assertThat(out()).contains("Proceed? (y/N)");
    assertThat(err()).contains("install aborted");
    assertThat(client.namespaces().list().getItems()).isEmpty();
    assertThat(client.apiextensions().v1().customResourceDefinitions().list().getItems())
        .isEmpty();
  }

  @Test
  void declinedUninstallPromptRemovesNothing() {
    assertThat(install("--profile", "minimal")).isEqualTo(InboardCtl.OK);
    int before = managed().size();

    assertThat(run("", "uninstall")).isEqualTo(InboardCtl.INVALID);

    assertThat(err()).contains("uninstall aborted");
    assertThat(managed()).hasSize(before);
  }

  @Test
  void rolloutThatNeverCompletesFailsNamingTheComponentAndWhy() {
    // no controllers: no CRD is ever Established
    assertThat(run("", "install", "-y", "--readiness-timeout", "1s"))
        .isEqualTo(InboardCtl.UNAVAILABLE);

    assertThat(out()).contains("✘ Inboard core encountered an error: CRD ")
        .contains("not Established after 1 s (--readiness-timeout)")
        .doesNotContain("Installation complete");
    assertThat(client.admissionRegistration().v1().mutatingWebhookConfigurations().list()
        .getItems()).isEmpty();
  }

  private MutatingWebhookConfiguration webhook() {
    return client.admissionRegistration().v1().mutatingWebhookConfigurations()
        .withName("inboard-sidecar-injector").get();
  }

  private List<HasMetadata> managed() {
    List<HasMetadata> all = new ArrayList<>();
    for (Class<? extends HasMetadata> type : List.of(MutatingWebhookConfiguration.class,
        Deployment.class, io.fabric8.kubernetes.api.model.Service.class,
        io.fabric8.kubernetes.api.model.ServiceAccount.class,
        io.fabric8.kubernetes.api.model.rbac.Role.class,
        io.fabric8.kubernetes.api.model.rbac.RoleBinding.class,
        io.fabric8.kubernetes.api.model.rbac.ClusterRole.class,
        io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding.class,
        io.fabric8.kubernetes.api.model.Namespace.class, CustomResourceDefinition.class)) {
      all.addAll(client.resources(type).inAnyNamespace()
          .withLabel("app.kubernetes.io/managed-by", "inboardctl").list().getItems());
    }
    all.addAll(client.genericKubernetesResources(TELEMETRY).inAnyNamespace()
        .withLabel("app.kubernetes.io/managed-by", "inboardctl").list().getItems());
    return all;
  }

  private Map<String, String> resourceVersions() {
    Map<String, String> out = new TreeMap<>();
    for (HasMetadata o : managed()) {
      out.put(o.getKind() + " " + o.getMetadata().getNamespace() + "/"
          + o.getMetadata().getName(), o.getMetadata().getResourceVersion());
    }
    return out;
  }
}
