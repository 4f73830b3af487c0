package io.inboard.mesh.controlplane.internal.install;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintStream;
import java.util.List;

/**
 * Removes what install made: every object with its label, the injection webhook first. CRDs go
 * only with {@code purge}, as istioctl's {@code uninstall --purge}: deleting a CRD deletes every
 * resource of its kind in the cluster. Namespace {@code istio-system} carries the label only
 * when install created it; one that existed before is never touched. What the control plane
 * itself wrote (the {@code istio-ca-root-cert} ConfigMaps of other namespaces) stays.
 */
public final class Uninstaller {
  private final KubernetesClient client;
  private final PrintStream out;

  public Uninstaller(KubernetesClient client, PrintStream out) {
    this.client = client;
    this.out = out;
  }

  /** The objects {@link #uninstall} would remove, in order. */
  public List<HasMetadata> planned(boolean purge) {
    return ManagedObjects.list(client).stream()
        .filter(o -> purge || !(o instanceof CustomResourceDefinition)).toList();
  }

  /** Removes {@link #planned}, printing each. */
  public void uninstall(boolean purge) {
    for (HasMetadata o : planned(purge)) {
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
