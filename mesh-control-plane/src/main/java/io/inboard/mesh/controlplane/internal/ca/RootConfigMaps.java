package io.inboard.mesh.controlplane.internal.ca;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.inboard.mesh.security.internal.pki.Pem;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Root distribution in Kubernetes mode, as istiod's namespace controller: the ConfigMap
 * {@code istio-ca-root-cert} (key {@code root-cert.pem}: the trust bundle, label
 * {@code istio.io/config: "true"}) in every namespace, written for each namespace the informer
 * sees (new ones included) and rewritten in all of them when the bundle changes. Writes run on
 * one thread of their own, never on the informer's.
 */
final class RootConfigMaps implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RootConfigMaps.class);
  static final String NAME = "istio-ca-root-cert";
  static final String KEY = "root-cert.pem";

  private final KubernetesClient client;
  private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "inboard-ca-root-configmaps");
    t.setDaemon(true);
    return t;
  });
  private final SharedIndexInformer<Namespace> namespaces;
  private volatile String bundle;

  RootConfigMaps(KubernetesClient client, CertificateAuthority ca) {
    this.client = client;
    this.bundle = Pem.encode(ca.trustBundle());
    this.namespaces = client.namespaces().inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Namespace ns) {
        String name = ns.getMetadata().getName();
        writer.execute(() -> write(name));
      }

      @Override
      public void onUpdate(Namespace before, Namespace after) {}

      @Override
      public void onDelete(Namespace ns, boolean unknownFinalState) {}
    }, 0);
    ca.onBundleChange(this::publish);
  }

  private void publish(List<X509Certificate> roots) {
    String next = Pem.encode(roots);
    if (next.equals(bundle)) {
      return;
    }
    bundle = next;
    writer.execute(() -> namespaces.getStore().list()
        .forEach(ns -> write(ns.getMetadata().getName())));
  }

  private void write(String namespace) {
    ConfigMap cm = new ConfigMapBuilder().withNewMetadata().withName(NAME)
        .withNamespace(namespace).withLabels(Map.of("istio.io/config", "true")).endMetadata()
        .withData(Map.of(KEY, bundle)).build();
    try {
      ConfigMap current = client.configMaps().inNamespace(namespace).withName(NAME).get();
      if (current != null && current.getData() != null
          && bundle.equals(current.getData().get(KEY))) {
        return;
      }
      client.configMaps().inNamespace(namespace).resource(cm)
          .createOr(NonDeletingOperation::update);
    } catch (KubernetesClientException e) {
      log.warn("cannot write ConfigMap {}/{}: {}", namespace, NAME, e.getMessage());
    }
  }

  @Override
  public void close() {
    namespaces.close();
    writer.shutdownNow();
  }
}
