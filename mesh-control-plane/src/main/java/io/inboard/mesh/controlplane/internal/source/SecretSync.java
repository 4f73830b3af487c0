package io.inboard.mesh.controlplane.internal.source;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.inboard.mesh.controlplane.ResourceId;
import io.inboard.mesh.controlplane.internal.ControlPlaneEngine;
import io.inboard.mesh.controlplane.internal.parse.ResourceParser;
import io.inboard.mesh.k8s.internal.catalog.NamespaceScope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the engine's Secrets equal to the cluster's, for DestinationRule and Gateway {@code
 * tls.credentialName}: an informer per watched namespace (or one for all) on Secrets, of which
 * only those holding a certificate key ({@code tls.crt}, {@code tls.key}, {@code ca.crt},
 * {@code cert}, {@code key}, {@code cacert}) are stored, so that service-account tokens and
 * the like never reach the control plane's memory. Changes are collected for {@code debounce}
 * and reach the engine as one update, so that the initial list publishes once.
 */
public final class SecretSync implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SecretSync.class);
  static final Set<String> CREDENTIAL_KEYS = Set.of("tls.crt", "tls.key", "ca.crt", "cert", "key",
      "cacert");

  private final ControlPlaneEngine engine;
  private final Duration debounce;
  private final List<SharedIndexInformer<Secret>> informers = new ArrayList<>();
  private final ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(
      r -> {
        Thread t = new Thread(r, "inboard-secret-sync");
        t.setDaemon(true);
        return t;
      });
  /** Changes not yet flushed: the Secret's document, or empty when it went. */
  private final Map<ResourceId, Optional<Map<String, Object>>> pending = new LinkedHashMap<>();
  /** Secrets the engine holds because this source stored them. */
  private final Set<ResourceId> applied = ConcurrentHashMap.newKeySet();
  private boolean scheduled;

  public SecretSync(KubernetesClient client, NamespaceScope scope, ControlPlaneEngine engine,
      Duration debounce) {
    this.engine = engine;
    this.debounce = debounce;
    ResourceEventHandler<Secret> handler = new ResourceEventHandler<>() {
      @Override
      public void onAdd(Secret s) {
        changed(s, false);
      }

      @Override
      public void onUpdate(Secret before, Secret after) {
        changed(after, false);
      }

      @Override
      public void onDelete(Secret s, boolean unknownFinalState) {
        changed(s, true);
      }
    };
    if (scope.allNamespaces()) {
      start(client.secrets().inAnyNamespace().runnableInformer(0), "all namespaces", handler);
    } else {
      scope.namespaces().forEach(ns -> start(client.secrets().inNamespace(ns)
          .runnableInformer(0), "namespace " + ns, handler));
    }
  }

  /**
   * Starts {@code informer} without waiting for its first list: a control plane deployed with an
   * older ClusterRole (no {@code list, watch} on secrets) still serves everything else, and says
   * why credentialName Secrets are not found.
   */
  private void start(SharedIndexInformer<Secret> informer, String where,
      ResourceEventHandler<Secret> handler) {
    informer.addEventHandler(handler);
    informers.add(informer);
    informer.start().whenComplete((ok, e) -> {
      if (e != null) {
        log.warn("cannot watch Secrets in {} ({}); DestinationRule tls.credentialName will not"
            + " find them: grant list and watch on secrets to the control plane", where,
            e.getMessage());
      }
    });
  }

  /** The ids of the Secrets stored from the cluster. */
  public Set<ResourceId> stored() {
    return Set.copyOf(applied);
  }

  private synchronized void changed(Secret s, boolean deleted) {
    ResourceId id = new ResourceId("Secret", s.getMetadata().getNamespace(),
        s.getMetadata().getName());
    pending.put(id, deleted || !holdsCredential(s) ? Optional.empty()
        : Optional.of(document(s)));
    if (!scheduled) {
      scheduled = true;
      flusher.schedule(this::flush, debounce.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void flush() {
    Map<ResourceId, Optional<Map<String, Object>>> batch;
    synchronized (this) {
      batch = new LinkedHashMap<>(pending);
      pending.clear();
      scheduled = false;
    }
    List<ResourceId> removed = new ArrayList<>();
    List<ResourceParser.Result> added = new ArrayList<>();
    batch.forEach((id, doc) -> {
      if (doc.isEmpty()) {
        if (applied.remove(id)) {
          removed.add(id);
        }
        return;
      }
      ResourceParser.Result r = engine.parser().parseDocuments("Secret " + id.namespace() + "/"
          + id.name(), List.of(doc.get()));
      if (r.hasErrors()) {
        // the diagnostic names the field, never the value
        log.warn("Kubernetes Secret {}/{} not read: {}", id.namespace(), id.name(),
            r.diagnostics());
        if (applied.remove(id)) {
          removed.add(id);
        }
        return;
      }
      applied.add(id);
      added.add(r);
    });
    try {
      engine.replaceResources(removed, added);
    } catch (RuntimeException e) {
      log.warn("cannot store Kubernetes Secrets: {}", e.toString());
    }
  }

  private static boolean holdsCredential(Secret s) {
    return keys(s.getData()).stream().anyMatch(CREDENTIAL_KEYS::contains)
        || keys(s.getStringData()).stream().anyMatch(CREDENTIAL_KEYS::contains);
  }

  private static Set<String> keys(Map<String, String> m) {
    return m == null ? Set.of() : m.keySet();
  }

  /** The Secret as the parser reads it: {@code data} stays base64, as the API returns it. */
  private static Map<String, Object> document(Secret s) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("apiVersion", "v1");
    doc.put("kind", "Secret");
    doc.put("metadata", Map.of("name", s.getMetadata().getName(),
        "namespace", s.getMetadata().getNamespace()));
    if (s.getType() != null) {
      doc.put("type", s.getType());
    }
    if (s.getData() != null) {
      doc.put("data", new LinkedHashMap<>(s.getData()));
    }
    if (s.getStringData() != null) {
      doc.put("stringData", new LinkedHashMap<>(s.getStringData()));
    }
    return doc;
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::close);
    flusher.shutdownNow();
  }
}
