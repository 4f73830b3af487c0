package io.inboard.mesh.controlplane.internal.install;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintStream;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.inboard.mesh.k8s.internal.catalog.IstioKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Removes what install made: every object with its label, the injection webhook first. CRDs go
 * only with {@code purge}, as istioctl's {@code uninstall --purge}: deleting a CRD deletes every
 * resource of its kind in the cluster. Namespace {@code istio-system} carries the label only
 * when install created it; one that existed before is never touched, and one install created
 * is kept while it holds what users put there (mesh-wide policy, Secrets). What the control
 * plane itself wrote (the {@code istio-ca-root-cert} ConfigMaps of other namespaces) stays.
 */
public final class Uninstaller {
  /** Published in every namespace: by Kubernetes, and by the control plane's CA. */
  private static final Set<String> PUBLISHED_CONFIG_MAPS =
      Set.of("kube-root-ca.crt", "istio-ca-root-cert");

  private final KubernetesClient client;
  private final PrintStream out;

  public Uninstaller(KubernetesClient client, PrintStream out) {
    this.client = client;
    this.out = out;
  }

  /**
   * What users keep in the root namespace and install never makes: Istio resources (mesh-wide
   * policy) without install's label, Secrets and ConfigMaps other than those Kubernetes and
   * the control plane publish in every namespace. Deleting the namespace would delete them.
   */
  private List<String> foreignContent(String namespace) {
    List<String> found = new ArrayList<>();
    List<ResourceDefinitionContext> kinds = new ArrayList<>();
    for (IstioKind k : IstioKind.values()) {
      kinds.add(context(k.group(), k.kind(), k.plural()));
    }
    kinds.add(context("networking.istio.io", "Gateway", "gateways"));
    for (ResourceDefinitionContext k : new java.util.LinkedHashSet<>(kinds)) {
      try {
        client.genericKubernetesResources(k).inNamespace(namespace).list().getItems().stream()
            .filter(r -> !InstallLabels.managed(r))
            .forEach(r -> found.add(k.getKind() + " " + r.getMetadata().getName()));
      } catch (KubernetesClientException e) {
        if (e.getCode() != 404) {
          throw e;
        }
      }
    }
    client.configMaps().inNamespace(namespace).list().getItems().stream()
        .filter(c -> !PUBLISHED_CONFIG_MAPS.contains(c.getMetadata().getName()))
        .forEach(c -> found.add("ConfigMap " + c.getMetadata().getName()));
    client.secrets().inNamespace(namespace).list().getItems()
        .forEach(c -> found.add("Secret " + c.getMetadata().getName()));
    return found;
  }

  private static ResourceDefinitionContext context(String group, String kind, String plural) {
    return new ResourceDefinitionContext.Builder().withGroup(group).withVersion("v1")
        .withKind(kind).withPlural(plural).withNamespaced(true).build();
  }

  /** The objects {@link #uninstall} would remove, in order. */
  public List<HasMetadata> planned(boolean purge) {
    return ManagedObjects.list(client).stream()
        .filter(o -> purge || !(o instanceof CustomResourceDefinition)).toList();
  }

  /** Removes {@link #planned}, printing each. */
  public void uninstall(boolean purge) {
    for (HasMetadata o : planned(purge)) {
      if (o instanceof Namespace && o.getMetadata().getName().equals(Installer.ROOT_NAMESPACE)) {
        List<String> foreign = foreignContent(Installer.ROOT_NAMESPACE);
        if (!foreign.isEmpty()) {
          out.println("  kept Namespace " + Installer.ROOT_NAMESPACE + ": install created it,"
              + " but it now holds what inboardctl did not make (" + String.join(", ",
                  foreign.subList(0, Math.min(3, foreign.size())))
              + (foreign.size() > 3 ? ", ..." : "") + "); delete it yourself when done");
          continue;
        }
      }
      client.resource(o).delete();
      out.println("  removed " + ManagedObjects.describe(o));
    }
    if (!purge) {
      long crds = ManagedObjects.list(client).stream()
          .filter(CustomResourceDefinition.class::isInstance).count();
      if (crds > 0) {
        out.println("  kept " + crds + " CRDs (and every resource of their kinds); "
            + "--purge removes them");
      }
    }
    out.println("✔ Uninstall complete");
  }
}
