package io.inboard.mesh.controlplane.internal.install;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;

/**
 * Applies one object as istioctl does: server-side apply with field manager {@code inboardctl},
 * conflicts forced. A second apply of the same object changes nothing, and fields another
 * manager owns and install does not send stay as they are (the webhook's {@code caBundle}, which
 * the control plane writes).
 *
 * <p>Fallback, for API servers without server-side apply: fabric8's CRUD mock server (8.0.0)
 * answers a PATCH of {@code application/apply-patch+yaml} with 415 Unsupported Media Type, or
 * with 404 when the object does not exist yet (it looks the object up before reading the
 * patch). On either answer this class reads the live object and creates it when absent; else
 * it compares the fields install sends with the live ones ({@link AppliedFields}) and writes
 * nothing when they are equal, so that a second run changes nothing there too; else it updates
 * the object with the live resourceVersion, carrying over the fields install does not own. After
 * one 415 it goes straight to the fallback. Every Kubernetes release install accepts (1.26 or
 * newer, see precheck) serves server-side apply, so a real cluster never takes this path unless
 * the object's namespace or kind is missing, when the fallback fails with the same 404.
 */
final class ObjectApplier {
  /** What an apply did; {@link #APPLIED} when the server merged it (it says no more). */
  enum Outcome { APPLIED, CREATED, UPDATED, UNCHANGED }

  private final KubernetesClient client;
  private boolean serverSideApply = true;

  ObjectApplier(KubernetesClient client) {
    this.client = client;
  }

  Outcome apply(HasMetadata desired) {
    HasMetadata copy = ManifestDocuments.SERIALIZATION.clone(desired);
    if (serverSideApply) {
      try {
        client.resource(copy).fieldManager(InstallLabels.MANAGER).forceConflicts()
            .serverSideApply();
        return Outcome.APPLIED;
      } catch (KubernetesClientException e) {
        if (e.getCode() == 415) {
          serverSideApply = false;
        } else if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
          throw e;
        }
      }
      copy = ManifestDocuments.SERIALIZATION.clone(desired);
    }
    HasMetadata live = client.resource(copy).get();
    if (live == null) {
      client.resource(copy).create();
      return Outcome.CREATED;
    }
    if (AppliedFields.of(desired).equals(AppliedFields.of(live))) {
      return Outcome.UNCHANGED;
    }
    copy.getMetadata().setResourceVersion(live.getMetadata().getResourceVersion());
    keepUnownedFields(copy, live);
    client.resource(copy).update();
    return Outcome.UPDATED;
  }

  /** An update replaces the whole object: keep what others wrote where install sends nothing. */
  private static void keepUnownedFields(HasMetadata update, HasMetadata live) {
    if (update instanceof MutatingWebhookConfiguration u
        && live instanceof MutatingWebhookConfiguration l) {
      for (MutatingWebhook w : u.getWebhooks()) {
        l.getWebhooks().stream().filter(x -> x.getName().equals(w.getName())).findFirst()
            .map(x -> x.getClientConfig() == null ? null : x.getClientConfig().getCaBundle())
            .ifPresent(ca -> w.getClientConfig().setCaBundle(ca));
      }
    }
  }
}
