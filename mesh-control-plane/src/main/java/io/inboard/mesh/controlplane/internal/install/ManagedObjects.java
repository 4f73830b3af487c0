package io.inboard.mesh.controlplane.internal.install;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.util.List;

/**
 * The objects in a cluster that carry install's label, kind by kind, in the order uninstall
 * removes them: the webhook first (so that no pod creation calls a control plane on its way
 * out), workloads, then what they use, namespaces, and CRDs last.
 */
final class ManagedObjects {
  /** The mesh-wide Telemetry's kind, addressed without discovery (its CRD may be gone). */
  static final ResourceDefinitionContext TELEMETRY = new ResourceDefinitionContext.Builder()
      .withGroup("telemetry.istio.io").withVersion("v1").withKind("Telemetry")
      .withPlural("telemetries").withNamespaced(true).build();

  private ManagedObjects() {}

  /** Every labelled object, CRDs and namespaces included, in removal order. */
  static List<HasMetadata> list(KubernetesClient client) {
    List<HasMetadata> out = new ArrayList<>();
    out.addAll(cluster(client, MutatingWebhookConfiguration.class));
    out.addAll(telemetries(client));
    out.addAll(namespaced(client, Deployment.class));
    out.addAll(namespaced(client, Service.class));
    out.addAll(namespaced(client, RoleBinding.class));
    out.addAll(namespaced(client, Role.class));
    out.addAll(cluster(client, ClusterRoleBinding.class));
    out.addAll(cluster(client, ClusterRole.class));
    out.addAll(namespaced(client, ServiceAccount.class));
    out.addAll(cluster(client, Namespace.class));
    out.addAll(cluster(client, CustomResourceDefinition.class));
    return out;
  }

  /** {@code Kind ns/name}, or {@code Kind name} for cluster-scoped objects. */
  static String describe(HasMetadata o) {
    String ns = o.getMetadata().getNamespace();
    return o.getKind() + " " + (ns == null || ns.isEmpty() ? "" : ns + "/")
        + o.getMetadata().getName();
  }

  private static <T extends HasMetadata> List<T> namespaced(KubernetesClient client,
      Class<T> type) {
    return client.resources(type).inAnyNamespace()
        .withLabel(InstallLabels.MANAGED_BY, InstallLabels.MANAGER).list().getItems();
  }

  private static <T extends HasMetadata> List<T> cluster(KubernetesClient client,
      Class<T> type) {
    return client.resources(type).withLabel(InstallLabels.MANAGED_BY, InstallLabels.MANAGER)
        .list().getItems();
  }

  private static List<GenericKubernetesResource> telemetries(KubernetesClient client) {
    try {
      return client.genericKubernetesResources(TELEMETRY).inAnyNamespace()
          .withLabel(InstallLabels.MANAGED_BY, InstallLabels.MANAGER).list().getItems();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return List.of(); // no Telemetry CRD: none can exist
      }
      throw e;
    }
  }
}
