package io.inboard.mesh.k8s.internal;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.inboard.mesh.k8s.internal.catalog.IstioKind;
import io.inboard.mesh.k8s.internal.catalog.IstioResource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Informers on the Istio kinds, as generic resources, in one namespace or in every namespace
 * ({@link NamespaceWatch#ALL}). The version watched per kind is looked up once, at start, off
 * the discovery thread. Any add, update or delete calls {@code onChange}.
 */
final class IstioWatch implements AutoCloseable {

  private final KubernetesClient client;
  private final String namespace;
  private final Runnable onChange;
  private final WatchFailures failures;
  private final Map<IstioKind, SharedIndexInformer<GenericKubernetesResource>> informers =
      new EnumMap<>(IstioKind.class);
  private volatile boolean synced;
  private volatile boolean closed;

  IstioWatch(KubernetesClient client, String namespace, Runnable onChange,
      WatchFailures failures) {
    this.client = client;
    this.namespace = namespace;
    this.onChange = onChange;
    this.failures = failures;
  }

  /** Looks up versions and starts the informers on {@code background}; never blocks. */
  void start(Executor background) {
    CompletableFuture.runAsync(this::startInformers, background)
        .thenCompose(ignored -> CompletableFuture.allOf(informersSnapshot().stream()
            .map(i -> i.start().toCompletableFuture()).toArray(CompletableFuture[]::new)))
        .thenRun(() -> {
          synced = true;
          onChange.run();
        });
  }

  private synchronized void startInformers() {
    for (IstioKind kind : IstioKind.values()) {
      if (closed) {
        return;
      }
      IstioVersions.served(client, kind).ifPresent(version -> {
        var context = new ResourceDefinitionContext.Builder()
            .withGroup(kind.group()).withVersion(version).withKind(kind.kind())
            .withPlural(kind.plural()).withNamespaced(true).build();
        var ops = client.genericKubernetesResources(context);
        SharedIndexInformer<GenericKubernetesResource> informer =
            NamespaceWatch.ALL.equals(namespace) ? ops.inAnyNamespace().runnableInformer(0)
                : ops.inNamespace(namespace).runnableInformer(0);
        informer.addEventHandler(new AnyChange());
        informer.exceptionHandler(failures.handler(kind.kind(), namespace));
        informers.put(kind, informer);
      });
    }
  }

  private synchronized List<SharedIndexInformer<GenericKubernetesResource>> informersSnapshot() {
    return List.copyOf(informers.values());
  }

  /** The resources held now, or {@code null} before the informers have synced. */
  List<IstioResource> resources() {
    if (!synced) {
      return null;
    }
    List<IstioResource> out = new ArrayList<>();
    Map<IstioKind, SharedIndexInformer<GenericKubernetesResource>> now;
    synchronized (this) {
      now = new LinkedHashMap<>(informers);
    }
    now.forEach((kind, informer) -> {
      List<IstioResource> ofKind = new ArrayList<>();
      for (GenericKubernetesResource r : informer.getStore().list()) {
        ofKind.add(toResource(kind, r));
      }
      ofKind.sort(Comparator.comparing(IstioResource::namespace).thenComparing(IstioResource::name));
      out.addAll(ofKind);
    });
    return out;
  }

  /** Whether the informers have synced once. */
  boolean synced() {
    return synced;
  }

  /** The number of informers running: one per installed kind. */
  synchronized int informerCount() {
    return informers.size();
  }

  private static IstioResource toResource(IstioKind kind, GenericKubernetesResource r) {
    ObjectMeta m = r.getMetadata();
    // Only what carries meaning: server-managed fields would make every status write a change.
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("name", m.getName());
    meta.put("namespace", m.getNamespace());
    if (m.getLabels() != null && !m.getLabels().isEmpty()) {
      meta.put("labels", Map.copyOf(m.getLabels()));
    }
    if (m.getCreationTimestamp() != null) {
      // never changes for one object; it orders policies (the oldest PeerAuthentication wins)
      meta.put("creationTimestamp", m.getCreationTimestamp());
    }
    if (m.getAnnotations() != null && !m.getAnnotations().isEmpty()) {
      meta.put("annotations", Map.copyOf(m.getAnnotations()));
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("apiVersion", r.getApiVersion());
    doc.put("kind", r.getKind());
    doc.put("metadata", meta);
    Object spec = r.getAdditionalProperties().get("spec");
    if (spec != null) {
      doc.put("spec", spec);
    }
    return new IstioResource(kind, r.getApiVersion(), m.getNamespace(), m.getName(), doc);
  }

  @Override
  public synchronized void close() {
    closed = true;
    informers.values().forEach(SharedIndexInformer::close);
  }

  private final class AnyChange implements ResourceEventHandler<GenericKubernetesResource> {
    @Override
    public void onAdd(GenericKubernetesResource obj) {
      changed();
    }

    @Override
    public void onUpdate(GenericKubernetesResource oldObj, GenericKubernetesResource newObj) {
      changed();
    }

    @Override
    public void onDelete(GenericKubernetesResource obj, boolean deletedFinalStateUnknown) {
      changed();
    }
  }

  private void changed() {
    if (synced) {
      onChange.run();
    }
  }
}
