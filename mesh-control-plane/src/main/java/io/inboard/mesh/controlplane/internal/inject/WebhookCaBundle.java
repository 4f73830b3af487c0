package io.inboard.mesh.controlplane.internal.inject;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.inboard.mesh.controlplane.internal.ca.CertificateAuthority;
import io.inboard.mesh.security.internal.pki.Pem;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@code webhooks[*].clientConfig.caBundle} of the MutatingWebhookConfiguration
 * {@value #CONFIGURATION} equal to the CA's trust bundle (base64 of the PEM roots), as istiod's
 * {@code WebhookCertPatcher}: patched when the configuration appears or changes (an
 * {@code inboardctl install} that writes it empty, a hand edit) and whenever the bundle changes
 * (a root rotation, Kubernetes mode taking over the root), and checked again at every informer
 * resync. Writes run on one thread of their own, never on the informer's; a failed write is
 * logged and retried at the next event or resync. Needs {@code get, list, watch, update} on
 * {@code mutatingwebhookconfigurations} (cluster-scoped).
 */
public final class WebhookCaBundle implements AutoCloseable {
  /** The webhook configuration {@code inboardctl install} renders. */
  public static final String CONFIGURATION = "inboard-sidecar-injector";

  private static final Logger log = LoggerFactory.getLogger(WebhookCaBundle.class);

  private final KubernetesClient client;
  private final String name;
  private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "inboard-webhook-ca-bundle");
    t.setDaemon(true);
    return t;
  });
  private final SharedIndexInformer<MutatingWebhookConfiguration> informer;
  private volatile String bundle;
  private volatile boolean closed;

  private WebhookCaBundle(KubernetesClient client, String name, CertificateAuthority ca,
      Duration resync) {
    this.client = client;
    this.name = name;
    ca.onBundleChange(this::bundleChanged);
    this.informer = watch(resync);
  }

  private SharedIndexInformer<MutatingWebhookConfiguration> watch(Duration resync) {
    try {
      return client.admissionRegistration().v1().mutatingWebhookConfigurations()
          .inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(MutatingWebhookConfiguration c) {
              changed(c);
            }

            @Override
            public void onUpdate(MutatingWebhookConfiguration before,
                MutatingWebhookConfiguration after) {
              changed(after);
            }

            @Override
            public void onDelete(MutatingWebhookConfiguration c, boolean unknownFinalState) {}
          }, resync.toMillis());
    } catch (KubernetesClientException e) {
      // a webhook configuration that is not kept current must not keep the control plane down
      log.warn("cannot watch MutatingWebhookConfiguration {} (expected: get, list, watch and"
          + " update on mutatingwebhookconfigurations): {}; its caBundle is not kept current",
          name, e.getMessage());
      return null;
    }
  }

  /**
   * Starts keeping configuration {@code name} in step with {@code ca}'s bundle, checking again
   * every {@code resync}.
   */
  public static WebhookCaBundle start(KubernetesClient client, CertificateAuthority ca,
      String name, Duration resync) {
    return new WebhookCaBundle(client, name, ca, resync);
  }

  private void bundleChanged(List<X509Certificate> roots) {
    String next = Base64.getEncoder().encodeToString(
        Pem.encode(roots).getBytes(StandardCharsets.UTF_8));
    if (next.equals(bundle)) {
      return;
    }
    bundle = next;
    writer.execute(this::patch);
  }

  private void changed(MutatingWebhookConfiguration c) {
    if (name.equals(c.getMetadata().getName()) && stale(c)) {
      writer.execute(this::patch);
    }
  }

  private boolean stale(MutatingWebhookConfiguration c) {
    String want = bundle;
    return c.getWebhooks() != null && c.getWebhooks().stream()
        .anyMatch(w -> w.getClientConfig() != null
            && !Objects.equals(want, w.getClientConfig().getCaBundle()));
  }

  private void patch() {
    if (closed) {
      return;
    }
    try {
      var configurations = client.admissionRegistration().v1().mutatingWebhookConfigurations();
      MutatingWebhookConfiguration current = configurations.withName(name).get();
      if (current == null || !stale(current)) {
        return;
      }
      String want = bundle;
      for (MutatingWebhook w : current.getWebhooks()) {
        if (w.getClientConfig() != null) {
          w.getClientConfig().setCaBundle(want);
        }
      }
      // an update carries the resourceVersion read: a concurrent writer makes it fail and the
      // event its write causes brings us back
      configurations.resource(current).update();
      log.info("webhook configuration {}: caBundle set to the CA's {} root(s)", name,
          current.getWebhooks().size());
    } catch (KubernetesClientException e) {
      log.warn("cannot patch the caBundle of MutatingWebhookConfiguration {}: {}", name,
          e.getMessage());
    }
  }

  @Override
  public void close() {
    closed = true;
    if (informer != null) {
      informer.close();
    }
    writer.shutdownNow();
  }
}
