package io.inboard.mesh.controlplane.internal.install;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintStream;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Applies a rendered manifest to a cluster in istioctl's order: namespaces and CRDs (waiting
 * for each CRD install applied to be Established), the control plane (waiting for its rollout),
 * the ingress gateway (likewise), mesh telemetry, the injection webhook last, then prune: every
 * object with install's label that the manifest no longer holds is deleted, except namespaces
 * and CRDs (as istioctl, a prune never deletes CRDs). One progress line per component.
 */
public final class Installer {
  /** The root namespace: created when absent, never relabelled, see {@code namespaces.yaml}. */
  static final String ROOT_NAMESPACE = "istio-system";

  private final KubernetesClient client;
  private final PrintStream out;
  private final Duration readinessTimeout;

  /** Writes progress to {@code out}; waits at most {@code readinessTimeout} in all. */
  public Installer(KubernetesClient client, PrintStream out, Duration readinessTimeout) {
    this.client = client;
    this.out = out;
    this.readinessTimeout = readinessTimeout;
  }

  /**
   * Installs {@code manifest}.
   *
   * @throws InstallException naming the component that failed and why
   */
  public void install(RenderedManifest manifest) {
    ObjectApplier applier = new ObjectApplier(client);
    ReadinessWaiter waiter = new ReadinessWaiter(client, readinessTimeout);
    step(Component.BASE, () -> {
      for (HasMetadata ns : manifest.part("namespaces.yaml").objects()) {
        if (ns.getMetadata().getName().equals(ROOT_NAMESPACE)) {
          if (client.namespaces().withName(ROOT_NAMESPACE).get() == null) {
            client.resource(ManifestDocuments.SERIALIZATION.clone((Namespace) ns)).create();
          }
        } else {
          applier.apply(ns);
        }
      }
      List<String> applied = new java.util.ArrayList<>();
      for (HasMetadata o : manifest.part("crds.yaml").objects()) {
        CustomResourceDefinition live = client.apiextensions().v1().customResourceDefinitions()
            .withName(o.getMetadata().getName()).get();
        if (live != null && !InstallLabels.ours(live)) {
          out.println("  CRD " + o.getMetadata().getName() + " already exists and is not"
              + " inboardctl's (Istio's?): skipped, left as it is");
          continue;
        }
        applier.apply(o);
        applied.add(o.getMetadata().getName());
      }
      applied.forEach(waiter::crdEstablished);
    });
    step(Component.CONTROL_PLANE, () -> applyAndWait(manifest.part("control-plane.yaml"),
        applier, waiter));
    for (RenderedManifest.Part part : manifest.parts(Component.INGRESS_GATEWAY)) {
      step(Component.INGRESS_GATEWAY, () -> applyAndWait(part, applier, waiter));
    }
    for (RenderedManifest.Part part : manifest.parts(Component.DEMO)) {
      step(Component.DEMO, () -> applyAndWait(part, applier, waiter));
    }
    // last, once the control plane answers: before, every injected pod creation would fail
    // open (failurePolicy Ignore) and start without its mesh environment
    try {
      manifest.part(ManifestRenderer.WEBHOOK).objects().forEach(applier::apply);
      prune(manifest);
    } catch (RuntimeException e) {
      throw new InstallException(Component.CONTROL_PLANE, e);
    }
    out.println("✔ Installation complete");
  }

  private void applyAndWait(RenderedManifest.Part part, ObjectApplier applier,
      ReadinessWaiter waiter) {
    part.objects().forEach(applier::apply);
    for (HasMetadata o : part.objects()) {
      if (o instanceof Deployment d) {
        waiter.rolledOut(d.getMetadata().getNamespace(), d.getMetadata().getName());
      }
    }
  }

  private void step(Component component, Runnable work) {
    try {
      work.run();
    } catch (InstallException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new InstallException(component, e);
    }
    out.println("✔ " + component.title() + " installed");
  }

  private void prune(RenderedManifest manifest) {
    Set<String> wanted = new HashSet<>();
    manifest.objects().forEach(o -> wanted.add(ManagedObjects.describe(o)));
    for (HasMetadata live : ManagedObjects.list(client)) {
      if (live instanceof Namespace || live instanceof CustomResourceDefinition
          || wanted.contains(ManagedObjects.describe(live))) {
        continue;
      }
      client.resource(live).delete();
      out.println("  removed " + ManagedObjects.describe(live) + " (not in profile "
          + manifest.values().profile().id() + " with these --set values)");
    }
  }
}
