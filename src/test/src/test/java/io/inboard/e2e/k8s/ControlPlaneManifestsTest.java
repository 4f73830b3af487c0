package io.inboard.e2e.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.inboard.mesh.k8s.internal.catalog.IstioKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The control plane's manifests against what its code does. The expected RBAC and CRDs are
 * derived from {@link IstioKind}, the kinds mesh-k8s-discovery watches, so that a kind added
 * there without a rule or CRD here fails this test rather than a cluster. The files are checked
 * copies of {@code inboardctl manifest generate --profile minimal} (mesh-control-plane's
 * InstallExampleManifestsTest proves them equal), so a failure here is fixed in the install
 * templates.
 */
class ControlPlaneManifestsTest {

  /**
   * Reads, except what the CA writes (root ConfigMaps, and TokenReviews it asks for) and the
   * injector's caBundle in its MutatingWebhookConfiguration.
   */
  @Test
  void clusterRoleOnlyReadsBesidesTheCaAndTheInjector() {
    for (PolicyRule rule : clusterRole().getRules()) {
      boolean ca = rule.getResources().equals(List.of("configmaps"))
          || rule.getResources().equals(List.of("tokenreviews"));
      boolean injector = rule.getResources().equals(List.of("mutatingwebhookconfigurations"));
      assertThat(rule.getVerbs()).as("ClusterRole rule %s %s: verbs", rule.getApiGroups(),
          rule.getResources()).isSubsetOf(ca ? List.of("get", "create", "update")
              : injector ? List.of("get", "list", "watch", "patch", "update")
              : List.of("get", "list", "watch"));
    }
  }

  /**
   * Informers list and watch, and never get; the CRDs are read once each, by name. Each grant is
   * written as {@code group/resource[/name]: verbs}, so that a failure shows what is missing or
   * extra.
   */
  @Test
  void clusterRoleGrantsExactlyWhatTheKubernetesConfigSourceUses() {
    Set<String> wanted = new TreeSet<>(List.of("/services: list,watch", "/pods: list,watch",
        "discovery.k8s.io/endpointslices: list,watch",
        // DestinationRule tls.credentialName
        "/secrets: list,watch",
        // the CA: root ConfigMaps in every namespace, TokenReviews
        "/namespaces: list,watch", "/configmaps: create,get,update",
        "authentication.k8s.io/tokenreviews: create",
        // the injector keeps its webhook configuration's caBundle current
        "admissionregistration.k8s.io/mutatingwebhookconfigurations: get,list,patch,update,watch"));
    for (String crd : crdNames()) {
      String plural = crd.substring(0, crd.indexOf('.'));
      wanted.add(crd.substring(crd.indexOf('.') + 1) + "/" + plural + ": list,watch");
      wanted.add("apiextensions.k8s.io/customresourcedefinitions/" + crd + ": get");
    }

    assertThat(grants(clusterRole())).containsExactlyElementsOf(wanted);
  }

  @Test
  void clusterRoleIsBoundToTheControlPlanesServiceAccount() {
    Deployment d = Manifests.read(Manifests.CONTROL_PLANE, Deployment.class).get(0);
    ClusterRoleBinding binding =
        Manifests.read(Manifests.CONTROL_PLANE, ClusterRoleBinding.class).get(0);

    assertThat(binding.getRoleRef().getName()).isEqualTo(clusterRole().getMetadata().getName());
    assertThat(binding.getSubjects()).singleElement().satisfies(s -> {
      assertThat(s.getKind()).isEqualTo("ServiceAccount");
      assertThat(s.getNamespace() + "/" + s.getName()).isEqualTo(d.getMetadata().getNamespace()
          + "/" + d.getSpec().getTemplate().getSpec().getServiceAccountName());
    });
  }

  @Test
  void controlPlaneRunsInKubernetesModeAndExposesXdsAndAdmin() {
    Deployment d = Manifests.read(Manifests.CONTROL_PLANE, Deployment.class).get(0);
    Container c = BookinfoManifestsTest.container(d);
    assertThat(c.getImage()).isEqualTo("inboard/control-plane:0.1.0");
    // listening on 127.0.0.1, the default, no pod could reach it
    assertThat(c.getArgs()).startsWith("control-plane", "--kubernetes", "--host", "0.0.0.0",
        "--ca-host-names");
    assertThat(c.getArgs().get(5)).contains("inboard-control-plane.inboard-system.svc");
    assertThat(c.getEnv()).anySatisfy(e -> {
      assertThat(e.getName()).isEqualTo("POD_NAMESPACE");
      assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.namespace");
    });
    assertThat(c.getPorts()).extracting(p -> p.getName() + "=" + p.getContainerPort())
        .containsExactlyInAnyOrder("grpc-xds=15010", "https-dns=15012", "http-monitoring=15014",
            "https-webhook=15017");

    Service s = Manifests.read(Manifests.CONTROL_PLANE, Service.class).get(0);
    assertThat(s.getMetadata().getNamespace()).isEqualTo(d.getMetadata().getNamespace());
    assertThat(s.getSpec().getPorts()).extracting(p -> p.getName() + "=" + p.getPort())
        .containsExactlyInAnyOrder("grpc-xds=15010", "https-dns=15012", "http-monitoring=15014",
            "https-webhook=15017");
    assertThat(BookinfoManifestsTest.controlPlaneXdsAddress())
        .isEqualTo("inboard-control-plane.inboard-system:15010");
  }

  /**
   * The control plane watches the first version in {@link IstioKind#versions()} that the CRD
   * serves; Istio serves them all, so Istio's samples apply whichever one they name.
   */
  @Test
  void istioCrdsServeEveryVersionTheControlPlaneReadsAndStoreOne() {
    List<CustomResourceDefinition> crds =
        Manifests.read(Manifests.ISTIO_CRDS, CustomResourceDefinition.class);
    assertThat(crds).extracting(c -> c.getMetadata().getName())
        .containsExactlyInAnyOrderElementsOf(crdNames());
    for (IstioKind kind : IstioKind.values()) {
      CustomResourceDefinition crd = crds.stream()
          .filter(c -> c.getMetadata().getName().equals(kind.crdName())).findFirst().orElseThrow();
      String where = "CRD " + kind.crdName();
      assertThat(crd.getSpec().getGroup()).as("%s: group", where).isEqualTo(kind.group());
      assertThat(crd.getSpec().getScope()).as("%s: scope", where).isEqualTo("Namespaced");
      assertThat(crd.getSpec().getNames().getKind()).as("%s: kind", where)
          .isEqualTo(kind.kind());
      assertThat(crd.getSpec().getNames().getPlural()).as("%s: plural", where)
          .isEqualTo(kind.plural());
      List<CustomResourceDefinitionVersion> versions = crd.getSpec().getVersions();
      assertThat(versions).filteredOn(CustomResourceDefinitionVersion::getServed)
          .extracting(CustomResourceDefinitionVersion::getName).as("%s: served versions", where)
          .containsExactlyInAnyOrderElementsOf(kind.versions());
      assertThat(versions).filteredOn(CustomResourceDefinitionVersion::getStorage)
          .as("%s: storage versions", where).hasSize(1);
      assertThat(versions).as("%s: every version has a schema (apiextensions/v1 requires one)",
          where).allMatch(v -> v.getSchema() != null
              && v.getSchema().getOpenAPIV3Schema() != null);
    }
  }

  /**
   * The CRDs the control plane reads: {@link IstioKind}'s, and Istio's Gateway, which the
   * ingress gateway's translation reads (issue 12), whether or not IstioKind lists it yet.
   */
  private static Set<String> crdNames() {
    Set<String> names = new TreeSet<>(
        Stream.of(IstioKind.values()).map(IstioKind::crdName).toList());
    names.add("gateways.networking.istio.io");
    return names;
  }

  private static ClusterRole clusterRole() {
    List<ClusterRole> roles = Manifests.read(Manifests.CONTROL_PLANE, ClusterRole.class);
    assertThat(roles).as("ClusterRoles in control-plane.yaml").hasSize(1);
    return roles.get(0);
  }

  private static List<String> grants(ClusterRole role) {
    List<String> out = new ArrayList<>();
    for (PolicyRule r : role.getRules()) {
      String verbs = String.join(",", new TreeSet<>(r.getVerbs()));
      List<String> names = r.getResourceNames().isEmpty() ? List.of("") : r.getResourceNames();
      for (String group : r.getApiGroups()) {
        for (String resource : r.getResources()) {
          for (String name : names) {
            out.add(group + "/" + resource + (name.isEmpty() ? "" : "/" + name) + ": " + verbs);
          }
        }
      }
    }
    return out.stream().sorted().toList();
  }
}
