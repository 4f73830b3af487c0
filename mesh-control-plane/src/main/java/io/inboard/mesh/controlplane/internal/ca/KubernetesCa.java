package io.inboard.mesh.controlplane.internal.ca;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Switches a running CA to Kubernetes mode: the root from Secret {@code cacerts} (plugged in)
 * or {@code istio-ca-secret} (generated on first start and stored there) in the control plane's
 * namespace, unless a {@code cacerts} directory was given; callers proven by TokenReview; and
 * the root published as ConfigMap {@code istio-ca-root-cert} in every namespace. Needs
 * {@code get, create, update} on secrets in that namespace, {@code list, watch} on namespaces,
 * {@code get, create, update} on configmaps, and {@code create} on tokenreviews.
 */
public final class KubernetesCa implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KubernetesCa.class);

  private final RootConfigMaps configMaps;

  private KubernetesCa(RootConfigMaps configMaps) {
    this.configMaps = configMaps;
  }

  /**
   * Takes {@code server} over to Kubernetes mode through {@code client}.
   *
   * @throws IllegalArgumentException when a stored or plugged-in Secret is invalid
   */
  public static KubernetesCa attach(CaServer server, KubernetesClient client) {
    CaSettings s = server.settings();
    if (s.cacertsDirectory() == null) {
      SecretRootStore store = new SecretRootStore(client, s.namespace());
      Optional<SigningAuthority> plugged = store.loadPlugged();
      SigningAuthority signer = plugged.or(store::load).orElseGet(() -> {
        // the root the control plane started with, not yet handed to any workload by TokenReview
        SigningAuthority made = server.authority().signer();
        store.save(made);
        log.info("stored the root CA in Secret {}/{}", s.namespace(),
            SecretRootStore.SELF_SIGNED_SECRET);
        return made;
      });
      server.authority().replace(signer, plugged.isPresent() ? RootStore.NONE : store);
    }
    server.authenticateWith(new TokenReviewAuthenticator(client, s.audiences()));
    return new KubernetesCa(new RootConfigMaps(client, server.authority()));
  }

  @Override
  public void close() {
    configMaps.close();
  }
}
