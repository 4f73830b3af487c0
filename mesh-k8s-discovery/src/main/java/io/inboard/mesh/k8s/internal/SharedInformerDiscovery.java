package io.inboard.mesh.k8s.internal;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.inboard.mesh.api.ServiceName;
import io.inboard.mesh.api.discovery.EndpointDiscovery;
import io.inboard.mesh.api.discovery.EndpointListener;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The engine behind {@code KubernetesDiscovery}: one {@link NamespaceWatch} per namespace,
 * started on the first subscription there, and one discovery thread that resolves and calls
 * listeners. A single thread is what serializes each listener's callbacks; listeners must not
 * block, so it is enough.
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
  private final AtomicBoolean closed = new AtomicBoolean();
  private final WatchFailures failures = new WatchFailures(() -> !closed.get());

  public SharedInformerDiscovery(KubernetesClient client, boolean ownsClient) {
    this.client = requireNonNull(client, "client");
    this.ownsClient = ownsClient;
    discoveryThread.scheduleWithFixedDelay(
        () -> watches.values().forEach(NamespaceWatch::checkWatches),
        WATCH_CHECK_MILLIS, WATCH_CHECK_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** See {@link EndpointDiscovery#subscribe}. */
  public EndpointDiscovery.Subscription subscribe(ServiceName service, EndpointListener listener) {
    requireNonNull(service, "service");
    requireNonNull(listener, "listener");
    if (closed.get()) {
      throw new IllegalStateException("discovery is closed");
    }
    String namespace = service.namespace();
    Set<ServiceSubscription> inNamespace =
        subscriptions.computeIfAbsent(namespace, n -> new CopyOnWriteArraySet<>());
    ServiceSubscription[] self = new ServiceSubscription[1];
    self[0] = new ServiceSubscription(service, listener, () -> inNamespace.remove(self[0]));
    inNamespace.add(self[0]);
    NamespaceWatch watch = watches.computeIfAbsent(namespace, n -> {
      NamespaceWatch w = new NamespaceWatch(
          client, n, () -> namespaceChanged(n), namespaceChecks, failures);
      w.start();
      return w;
    });
    runOnDiscoveryThread(() -> evaluate(watch, self[0]));
    return self[0];
  }

  /** How many informers run: three per namespace with subscriptions. */
  public int informerCount() {
    return watches.values().stream().mapToInt(NamespaceWatch::informerCount).sum();
  }

  /** How many list or watch calls have failed since start. */
  public long watchFailures() {
    return failures.count();
  }

  private void namespaceChanged(String namespace) {
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
