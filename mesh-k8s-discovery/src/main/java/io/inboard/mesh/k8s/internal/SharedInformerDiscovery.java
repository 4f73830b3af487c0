package io.inboard.mesh.k8s.internal;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.inboard.mesh.api.ServiceName;
import io.inboard.mesh.api.discovery.EndpointDiscovery;
import io.inboard.mesh.api.discovery.EndpointListener;
import io.inboard.mesh.k8s.internal.catalog.IstioConfig;
import io.inboard.mesh.k8s.internal.catalog.IstioConfigListener;
import io.inboard.mesh.k8s.internal.catalog.IstioResource;
import io.inboard.mesh.k8s.internal.catalog.NamespaceScope;
import io.inboard.mesh.k8s.internal.catalog.ServiceCatalog;
import io.inboard.mesh.k8s.internal.catalog.ServiceCatalogListener;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The engine behind {@code KubernetesDiscovery}: one {@link NamespaceWatch} per namespace (or
 * one over every namespace), started on the first subscription or catalog watch there, one
 * {@link IstioWatch} per namespace (or over every one) with Istio config watches, and one
 * discovery thread that resolves and calls listeners. A single thread is what serializes each
 * listener's callbacks; listeners must not block, so it is enough.
 */
public final class SharedInformerDiscovery implements AutoCloseable {

  /** How often dropped watches are looked for, in milliseconds. */
  static final long WATCH_CHECK_MILLIS = 1000;

  private final KubernetesClient client;
  private final boolean ownsClient;
  private final ScheduledExecutorService discoveryThread =
      Executors.newSingleThreadScheduledExecutor(daemon("inboard-k8s-discovery"));
  private final ExecutorService namespaceChecks = Executors.newSingleThreadExecutor(
      daemon("inboard-k8s-namespace-check"));
  private final Map<String, NamespaceWatch> watches = new ConcurrentHashMap<>();
  private final Map<String, Set<ServiceSubscription>> subscriptions = new ConcurrentHashMap<>();
  private final Map<String, AtomicBoolean> pending = new ConcurrentHashMap<>();
  /** Catalog watches by the key of the {@link NamespaceWatch} they read. */
  private final Map<String, Set<DebouncedSnapshot<ServiceCatalog>>> catalogs =
      new ConcurrentHashMap<>();
  private final Map<String, IstioWatch> istioWatches = new ConcurrentHashMap<>();
  private final Map<String, Set<DebouncedSnapshot<IstioConfig>>> istioConfigs =
      new ConcurrentHashMap<>();
  private final long debounceMillis;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final WatchFailures failures = new WatchFailures(() -> !closed.get());

  /**
   * @param debounceMillis how long catalog and Istio config watches wait after a change before
   *     taking a snapshot, so that a burst of events gives one
   */
  public SharedInformerDiscovery(KubernetesClient client, boolean ownsClient, long debounceMillis) {
    this.client = requireNonNull(client, "client");
    this.ownsClient = ownsClient;
    this.debounceMillis = debounceMillis;
    discoveryThread.scheduleWithFixedDelay(
        () -> watches.values().forEach(NamespaceWatch::checkWatches),
        WATCH_CHECK_MILLIS, WATCH_CHECK_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** See {@link EndpointDiscovery#subscribe}. */
  public EndpointDiscovery.Subscription subscribe(ServiceName service, EndpointListener listener) {
    requireNonNull(service, "service");
    requireNonNull(listener, "listener");
    checkOpen();
    String namespace = service.namespace();
    Set<ServiceSubscription> inNamespace =
        subscriptions.computeIfAbsent(namespace, n -> new CopyOnWriteArraySet<>());
    ServiceSubscription[] self = new ServiceSubscription[1];
    self[0] = new ServiceSubscription(service, listener, () -> inNamespace.remove(self[0]));
    inNamespace.add(self[0]);
    NamespaceWatch watch = namespaceWatch(namespace);
    runOnDiscoveryThread(() -> evaluate(watch, self[0]));
    return self[0];
  }

  /** Watches every Service of {@code scope}; see {@code KubernetesDiscovery.watchServices}. */
  public EndpointDiscovery.Subscription watchCatalog(
      NamespaceScope scope, ServiceCatalogListener listener) {
    requireNonNull(scope, "scope");
    requireNonNull(listener, "listener");
    checkOpen();
    List<String> keys = keys(scope);
    List<NamespaceWatch> covering = keys.stream().map(this::namespaceWatch).toList();
    DebouncedSnapshot<ServiceCatalog> snapshot = snapshot("Service catalog",
        () -> CatalogResolver.catalog(scope, covering), listener::onCatalog, keys, catalogs);
    snapshot.changed(); // the watches may have synced already
    return snapshot;
  }

  /** Watches the Istio resources of {@code scope}; see {@code KubernetesDiscovery}. */
  public EndpointDiscovery.Subscription watchIstioConfig(
      NamespaceScope scope, IstioConfigListener listener) {
    requireNonNull(scope, "scope");
    requireNonNull(listener, "listener");
    checkOpen();
    List<String> keys = keys(scope);
    List<IstioWatch> covering = keys.stream().map(key -> istioWatches.computeIfAbsent(key, k -> {
      IstioWatch w = new IstioWatch(client, k, () -> istioChanged(k), failures);
      w.start(namespaceChecks);
      return w;
    })).toList();
    DebouncedSnapshot<IstioConfig> snapshot = snapshot("Istio config",
        () -> istioConfig(covering), listener::onIstioConfig, keys, istioConfigs);
    snapshot.changed(); // the watches may have synced already
    return snapshot;
  }

  private <T> DebouncedSnapshot<T> snapshot(String what, Supplier<T> compute,
      Consumer<T> listener, List<String> keys,
      Map<String, Set<DebouncedSnapshot<T>>> registry) {
    @SuppressWarnings("unchecked")
    DebouncedSnapshot<T>[] self = new DebouncedSnapshot[1];
    self[0] = new DebouncedSnapshot<>(what, compute, listener, discoveryThread, debounceMillis,
        () -> keys.forEach(k -> registry.getOrDefault(k, Set.of()).remove(self[0])));
    keys.forEach(k -> registry.computeIfAbsent(k, n -> new CopyOnWriteArraySet<>()).add(self[0]));
    return self[0];
  }

  private static IstioConfig istioConfig(List<IstioWatch> watches) {
    List<IstioResource> all = new ArrayList<>();
    for (IstioWatch w : watches) {
      List<IstioResource> held = w.resources();
      if (held == null) {
        return null;
      }
      all.addAll(held);
    }
    all.sort(Comparator.comparing((IstioResource r) -> r.kind().ordinal())
        .thenComparing(IstioResource::namespace).thenComparing(IstioResource::name));
    return new IstioConfig(all);
  }

  private static List<String> keys(NamespaceScope scope) {
    return scope.allNamespaces() ? List.of(NamespaceWatch.ALL) : List.copyOf(scope.namespaces());
  }

  private NamespaceWatch namespaceWatch(String key) {
    return watches.computeIfAbsent(key, n -> {
      NamespaceWatch w = new NamespaceWatch(
          client, n, () -> namespaceChanged(n), namespaceChecks, failures);
      w.start();
      return w;
    });
  }

  private void istioChanged(String key) {
    istioConfigs.getOrDefault(key, Set.of()).forEach(DebouncedSnapshot::changed);
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException("discovery is closed");
    }
  }

  /** How many informers run: three per watched namespace, plus one per watched Istio kind. */
  public int informerCount() {
    return watches.values().stream().mapToInt(NamespaceWatch::informerCount).sum()
        + istioWatches.values().stream().mapToInt(IstioWatch::informerCount).sum();
  }

  /** How many list or watch calls have failed since start. */
  public long watchFailures() {
    return failures.count();
  }

  private void namespaceChanged(String namespace) {
    catalogs.getOrDefault(namespace, Set.of()).forEach(DebouncedSnapshot::changed);
    // Bursts of events (a rollout, a relist) collapse into one pass over the subscriptions.
    AtomicBoolean flag = pending.computeIfAbsent(namespace, n -> new AtomicBoolean());
    if (flag.compareAndSet(false, true)) {
      runOnDiscoveryThread(() -> {
        flag.set(false);
        NamespaceWatch watch = watches.get(namespace);
        if (watch != null) {
          for (ServiceSubscription s : subscriptions.getOrDefault(namespace, Set.of())) {
            evaluate(watch, s);
          }
        }
      });
    }
  }

  private static void evaluate(NamespaceWatch watch, ServiceSubscription subscription) {
    Resolution now = watch.resolve(subscription.service());
    if (now != null) {
      subscription.deliver(now);
    }
  }

  private void runOnDiscoveryThread(Runnable task) {
    try {
      discoveryThread.execute(task);
    } catch (RejectedExecutionException e) {
      if (!closed.get()) {
        throw e;
      }
    }
  }

  /** Stops every informer and thread, and closes the client if this discovery created it. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    watches.values().forEach(NamespaceWatch::close);
    watches.clear();
    istioWatches.values().forEach(IstioWatch::close);
    istioWatches.clear();
    subscriptions.clear();
    discoveryThread.shutdownNow();
    namespaceChecks.shutdownNow();
    if (ownsClient) {
      client.close();
    }
  }

  private static ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
