package io.inboard.mesh.k8s.internal;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.inboard.mesh.api.ServiceName;
import io.inboard.mesh.api.ServiceUnavailableException.Reason;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The three informers of one namespace (Services, EndpointSlices, Pods), or of every namespace
 * ({@link #ALL}), shared by every subscription in it. Any change that can alter a subscription's
 * endpoints calls {@code onChange}; resolving then only reads the informers' caches.
 */
final class NamespaceWatch implements AutoCloseable {

  /** The {@code namespace} of a watch over every namespace; no namespace can be named so. */
  static final String ALL = "*";

  private static final Logger log = LoggerFactory.getLogger(NamespaceWatch.class);
  private static final String BY_SERVICE = "by-service";
  private static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

  private final KubernetesClient client;
  private final String namespace;
  private final Runnable onChange;
  private final Executor namespaceChecks;
  private final SharedIndexInformer<Service> services;
  private final SharedIndexInformer<EndpointSlice> slices;
  private final SharedIndexInformer<Pod> pods;
  private final AtomicReference<NamespaceState> namespaceState =
      new AtomicReference<>(NamespaceState.UNKNOWN);
  private volatile boolean synced;
  private final String[] names = {"Services", "EndpointSlices", "Pods"};
  private final boolean[] down = new boolean[3]; // discovery thread only
  private final WatchFailures failures;

  NamespaceWatch(KubernetesClient client, String namespace, Runnable onChange,
      Executor namespaceChecks, WatchFailures failures) {
    this.client = client;
    this.namespace = namespace;
    this.onChange = onChange;
    this.namespaceChecks = namespaceChecks;
    this.failures = failures;
    boolean all = ALL.equals(namespace);
    services = all ? client.services().inAnyNamespace().runnableInformer(0)
        : client.services().inNamespace(namespace).runnableInformer(0);
    var sliceOps = client.discovery().v1().endpointSlices();
    slices = all ? sliceOps.inAnyNamespace().runnableInformer(0)
        : sliceOps.inNamespace(namespace).runnableInformer(0);
    // Keyed by namespace too, so that one index serves a watch over every namespace.
    slices.addIndexers(Map.of(BY_SERVICE, s -> s.getMetadata().getLabels() == null
        ? List.of()
        : List.of(s.getMetadata().getNamespace() + "/" + Objects.requireNonNullElse(
            s.getMetadata().getLabels().get(SERVICE_NAME_LABEL), ""))));
    pods = all ? client.pods().inAnyNamespace().runnableInformer(0)
        : client.pods().inNamespace(namespace).runnableInformer(0);

    services.addEventHandler(new AnyChange<>());
    slices.addEventHandler(new AnyChange<>());
    pods.addEventHandler(new PodLabelChange());
    services.exceptionHandler(failures.handler("Services", namespace));
    slices.exceptionHandler(failures.handler("EndpointSlices", namespace));
    pods.exceptionHandler(failures.handler("Pods", namespace));
  }

  /** Starts the informers without waiting; {@code onChange} runs once all three have synced. */
  void start() {
    CompletableFuture.allOf(
            services.start().toCompletableFuture(),
            slices.start().toCompletableFuture(),
            pods.start().toCompletableFuture())
        .thenRun(() -> {
          synced = true;
          log.debug("Informers for namespace '{}' synced", namespace);
          onChange.run();
        });
  }

  /**
   * Reports watches that dropped or came back since the last call. fabric8 reconnects a dropped
   * watch by itself, with backoff, without telling the informer's exception handler; this is
   * how an unreachable API server still gets a warning. Reads local state only.
   */
  void checkWatches() {
    if (!synced) {
      return;
    }
    List<SharedIndexInformer<?>> informers = List.of(services, slices, pods);
    for (int i = 0; i < informers.size(); i++) {
      boolean watching = informers.get(i).isWatching();
      if (!watching && !down[i]) {
        down[i] = true;
        failures.record(names[i], namespace, "watch disconnected");
      } else if (watching && down[i]) {
        down[i] = false;
        failures.recovered(names[i], namespace);
      }
    }
  }

  /** The number of informers this watch runs. */
  int informerCount() {
    return 3;
  }

  /**
   * What {@code requested} resolves to now, or {@code null} while that is not known yet (the
   * informers have not synced, or whether the namespace exists is being checked).
   */
  Resolution resolve(ServiceName requested) {
    if (!synced) {
      return null;
    }
    String ns = requested.namespace();
    Service service = services.getStore().getByKey(ns + "/" + requested.name());
    if (service == null) {
      return missing(requested);
    }
    List<EndpointSlice> serviceSlices =
        slices.getIndexer().byIndex(BY_SERVICE, ns + "/" + requested.name());
    return EndpointsResolver.resolve(requested, service, serviceSlices, pod -> pod(ns, pod));
  }

  /** Whether all three informers have synced once. */
  boolean synced() {
    return synced;
  }

  /** Every Service this watch holds, in no particular order. */
  List<Service> services() {
    return services.getStore().list();
  }

  /** The Pod {@code namespace/name}, or {@code null} when this watch does not hold it. */
  Pod pod(String podNamespace, String name) {
    return pods.getStore().getByKey(podNamespace + "/" + name);
  }

  private Resolution missing(ServiceName requested) {
    return switch (namespaceState.get()) {
      case EXISTS, UNKNOWABLE ->
          new Resolution.Failed(requested.withoutPort(), Reason.SERVICE_NOT_FOUND, "");
      case MISSING -> new Resolution.Failed(requested.withoutPort(), Reason.NAMESPACE_NOT_FOUND, "");
      case CHECKING -> null;
      case UNKNOWN -> {
        checkNamespace();
        yield null;
      }
    };
  }

  /** One GET, off the discovery thread, so that a slow API server delays no listener. */
  private void checkNamespace() {
    if (!namespaceState.compareAndSet(NamespaceState.UNKNOWN, NamespaceState.CHECKING)) {
      return;
    }
    try {
      namespaceChecks.execute(() -> {
        NamespaceState result;
        try {
          result = client.namespaces().withName(namespace).get() != null
              ? NamespaceState.EXISTS : NamespaceState.MISSING;
        } catch (KubernetesClientException e) {
          log.debug("Cannot tell whether namespace '{}' exists (HTTP {}): reporting missing"
              + " services as not found", namespace, e.getCode(), e);
          result = NamespaceState.UNKNOWABLE;
        }
        namespaceState.compareAndSet(NamespaceState.CHECKING, result);
        onChange.run();
      });
    } catch (RejectedExecutionException closing) {
      namespaceState.set(NamespaceState.UNKNOWN);
    }
  }

  private void changed() {
    // An event in the namespace means the last answer about its existence may be stale.
    namespaceState.compareAndSet(NamespaceState.MISSING, NamespaceState.UNKNOWN);
    if (synced) {
      onChange.run();
    }
  }

  @Override
  public void close() {
    services.close();
    slices.close();
    pods.close();
  }

  private final class AnyChange<T extends HasMetadata> implements ResourceEventHandler<T> {
    @Override
    public void onAdd(T obj) {
      changed();
    }

    @Override
    public void onUpdate(T oldObj, T newObj) {
      changed();
    }

    @Override
    public void onDelete(T obj, boolean deletedFinalStateUnknown) {
      changed();
    }
  }

  /**
   * Pods matter only for their labels (their service account cannot change); their status
   * churns and is read from the slices.
   */
  private final class PodLabelChange implements ResourceEventHandler<Pod> {
    @Override
    public void onAdd(Pod pod) {
      changed();
    }

    @Override
    public void onUpdate(Pod oldPod, Pod newPod) {
      if (!Objects.equals(oldPod.getMetadata().getLabels(), newPod.getMetadata().getLabels())) {
        changed();
      }
    }

    @Override
    public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
      changed();
    }
  }
}
