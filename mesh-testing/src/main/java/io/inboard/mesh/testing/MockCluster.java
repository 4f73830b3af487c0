package io.inboard.mesh.testing;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.inboard.mesh.testing.internal.CustomResources;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.inboard.mesh.testing.internal.EndpointSliceComputer;
import io.inboard.mesh.testing.internal.IstioCrds;
import io.inboard.mesh.testing.internal.PodState;
import io.inboard.mesh.testing.internal.ResourceFactory;
import io.inboard.mesh.testing.internal.ServiceState;
import io.inboard.mesh.testing.internal.WatchSafeCrudDispatcher;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A fake Kubernetes cluster for tests: the fabric8 CRUD mock API server, plus the part of the
 * control plane that mesh clients depend on, the EndpointSlice controller.
 *
 * <p>A test declares Services and Pods; after every change the cluster writes the Service, the
 * Pod and the affected {@code discovery.k8s.io/v1} EndpointSlices to the mock API server, so
 * informers and watches see the same events they would see in a real cluster.
 *
 * <pre>{@code
 * try (MockCluster cluster = MockCluster.start()) {
 *   cluster.service("reviews", "default").selector("app", "reviews")
 *       .port("http", 9080, "http").create();
 *   cluster.pod("reviews-v1-0", "default").ip("127.0.0.2")
 *       .label("app", "reviews").label("version", "v1")
 *       .containerPort("http", 8080).create();
 *   KubernetesClient client = cluster.client();
 *   ...
 * }
 * }</pre>
 *
 * <p>What the mock does not do, unlike a real API server: it does not check that a namespace
 * exists before storing objects in it (so this class creates the namespace of every Service and
 * Pod it writes, and {@link #createNamespace} creates empty ones), it enforces no RBAC,
 * Services get no cluster IP, and a terminating Pod has no {@code deletionTimestamp} (see
 * {@link #startTerminating}).
 *
 * <p>All methods are thread-safe and may be called from a test thread while informers run. Each
 * change is written before the method returns; watchers see it asynchronously.
 */
public final class MockCluster implements AutoCloseable {

  private final KubernetesCrudDispatcher dispatcher = new WatchSafeCrudDispatcher();
  private final InetAddress address = InetAddress.getLoopbackAddress();
  private final Map<String, ServiceState> services = new LinkedHashMap<>();
  private final Map<String, PodState> pods = new LinkedHashMap<>();
  private final Map<String, List<EndpointSlice>> writtenSlices = new HashMap<>();
  private final Set<String> namespaces = new HashSet<>();
  private final int port;
  private final NamespacedKubernetesClient client;
  private KubernetesMockServer server;
  private boolean closed;

  /**
   * The mock web server logs every request at INFO through java.util.logging; a test or demo
   * drowns in it. Held in a field because JUL keeps loggers only weakly.
   */
  private static final java.util.logging.Logger MOCK_SERVER_LOG = quietMockServerLog();

  private static java.util.logging.Logger quietMockServerLog() {
    java.util.logging.Logger log = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");
    log.setLevel(java.util.logging.Level.WARNING);
    return log;
  }

  private MockCluster() {
    server = newServer(0);
    port = server.getPort();
    client = server.createClient();
  }

  /** Starts an empty cluster whose API server listens on a free loopback port. */
  public static MockCluster start() {
    return new MockCluster();
  }

  /** A client for the mock API server. The cluster owns it: do not close it. */
  public KubernetesClient client() {
    return client;
  }

  /**
   * A new client for the mock API server, for code under test that owns and closes its client.
   *
   * @param customizer adjusts the client's configuration (for example its watch reconnect
   *     interval); {@code UnaryOperator.identity()} for the mock's defaults
   */
  public KubernetesClient newClient(
      UnaryOperator<io.fabric8.kubernetes.client.ConfigBuilder> customizer) {
    requireNonNull(customizer, "customizer");
    io.fabric8.kubernetes.client.Config config =
        customizer.apply(new io.fabric8.kubernetes.client.ConfigBuilder(client.getConfiguration()))
            .build();
    return new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(config).build();
  }

  /** The API server's port on the loopback address. Stays the same across restarts. */
  public int port() {
    return port;
  }

  /** The API server's base URL, such as {@code http://localhost:41234/}. */
  public String masterUrl() {
    return client.getConfiguration().getMasterUrl();
  }

  /** Creates a namespace (idempotent). Declaring a Service or Pod creates its namespace too. */
  public synchronized MockCluster createNamespace(String name) {
    requireNonNull(name, "name");
    ensureNamespace(name);
    return this;
  }

  /** Starts declaring a Service; nothing is written until {@link MockServiceBuilder#create()}. */
  public MockServiceBuilder service(String name, String namespace) {
    return new MockServiceBuilder(this, requireNonNull(name, "name"),
        requireNonNull(namespace, "namespace"));
  }

  /** Starts declaring a Pod; nothing is written until {@link MockPodBuilder#create()}. */
  public MockPodBuilder pod(String name, String namespace) {
    return new MockPodBuilder(this, requireNonNull(name, "name"),
        requireNonNull(namespace, "namespace"));
  }

  /**
   * Sets a pod's Ready condition, as a readiness probe would. Its endpoints become ready (and
   * serving) or not.
   *
   * @throws IllegalArgumentException if no such pod was declared
   */
  public synchronized void setReady(String namespace, String pod, boolean ready) {
    putPod(existingPod(namespace, pod).withReady(ready));
  }

  /**
   * Starts a pod's graceful shutdown, as {@code kubectl delete pod} does before the pod is gone:
   * its endpoints get {@code ready=false}, {@code serving=<its readiness>} and
   * {@code terminating=true}. Call {@link #deletePod} to finish.
   *
   * <p>The Pod object stays readable with its labels, but carries the annotation
   * {@code inboard.io/terminating=true} instead of a {@code deletionTimestamp}: the CRUD mock
   * deletes any object written with a deletion timestamp.
   *
   * @throws IllegalArgumentException if no such pod was declared
   */
  public synchronized void startTerminating(String namespace, String pod) {
    putPod(existingPod(namespace, pod).withTerminating());
  }

  /** Deletes a pod; its endpoints disappear. Unknown pods are ignored. */
  public synchronized void deletePod(String namespace, String pod) {
    checkOpen();
    PodState removed = pods.remove(key(namespace, pod));
    if (removed != null) {
      write(() -> client.pods().inNamespace(namespace).withName(pod).delete());
      reconcileNamespace(namespace);
    }
  }

  /** Deletes a Service and its EndpointSlices. Unknown services are ignored. */
  public synchronized void deleteService(String namespace, String service) {
    checkOpen();
    String key = key(namespace, service);
    if (services.remove(key) != null) {
      List<EndpointSlice> slices = writtenSlices.remove(key);
      write(() -> {
        client.services().inNamespace(namespace).withName(service).delete();
        if (slices != null) {
          for (EndpointSlice s : slices) {
            client.discovery().v1().endpointSlices().inNamespace(namespace)
                .withName(s.getMetadata().getName()).delete();
          }
        }
        return null;
      });
    }
  }

  /**
   * Installs the CustomResourceDefinitions of the Istio kinds Inboard reads (VirtualService,
   * DestinationRule, ServiceEntry, WorkloadEntry: {@code networking.istio.io} v1, v1beta1 and
   * v1alpha3; PeerAuthentication, AuthorizationPolicy, RequestAuthentication:
   * {@code security.istio.io} v1 and v1beta1; Telemetry: {@code telemetry.istio.io} v1 and
   * v1alpha1), as installing Istio would. Idempotent.
   */
  public synchronized MockCluster installIstioCrds() {
    checkOpen();
    for (CustomResourceDefinition crd : IstioCrds.all()) {
      write(() -> client.resource(crd).createOr(NonDeletingOperation::update));
    }
    return this;
  }

  /**
   * Creates or replaces the custom resource in {@code yaml} (one document, such as an Istio
   * VirtualService), as {@code kubectl apply} would. Its namespace defaults to {@code default}.
   *
   * <p>A real API server stores a custom resource once and serves it in every version its CRD
   * serves; the CRUD mock stores each version apart. So the resource is written in every served
   * version of its CRD, and a watch on any version sees it, as in a cluster.
   *
   * @throws IllegalArgumentException if the YAML is not a resource, or no installed CRD serves
   *     its group and kind (see {@link #installIstioCrds})
   */
  public synchronized void applyCustomResource(String yaml) {
    checkOpen();
    requireNonNull(yaml, "yaml");
    GenericKubernetesResource resource = CustomResources.parse(yaml);
    String group = CustomResources.group(resource.getApiVersion());
    List<ResourceDefinitionContext> versions =
        CustomResources.servedVersions(client, group, resource.getKind());
    String namespace = resource.getMetadata().getNamespace() == null
        ? "default" : resource.getMetadata().getNamespace();
    resource.getMetadata().setNamespace(namespace);
    ensureNamespace(namespace);
    for (ResourceDefinitionContext version : versions) {
      GenericKubernetesResource copy = Serialization.clone(resource);
      copy.setApiVersion(group + "/" + version.getVersion());
      write(() -> client.genericKubernetesResources(version).inNamespace(namespace)
          .resource(copy).createOr(NonDeletingOperation::update));
    }
  }

  /**
   * Deletes a custom resource in every version its CRD serves. Unknown resources are ignored.
   *
   * @param group the API group, such as {@code networking.istio.io}
   * @throws IllegalArgumentException if no installed CRD serves {@code group} and {@code kind}
   */
  public synchronized void deleteCustomResource(
      String group, String kind, String namespace, String name) {
    checkOpen();
    List<ResourceDefinitionContext> versions = CustomResources.servedVersions(
        client, requireNonNull(group, "group"), requireNonNull(kind, "kind"));
    requireNonNull(namespace, "namespace");
    requireNonNull(name, "name");
    for (ResourceDefinitionContext version : versions) {
      write(() -> client.genericKubernetesResources(version).inNamespace(namespace)
          .withName(name).delete());
    }
  }

  /**
   * Stops the API server, keeping its data, to test behaviour while the API is unreachable.
   * Open watches are cut. Declaring or changing anything fails until {@link #restartApiServer}.
   */
  public synchronized void stopApiServer() {
    checkOpen();
    if (server != null) {
      server.destroy();
      server = null;
    }
  }

  /**
   * Starts the API server again on the same port with the data it had, so that clients
   * reconnect and resync on their own.
   */
  public synchronized void restartApiServer() {
    checkOpen();
    if (server == null) {
      server = newServer(port);
    }
  }

  /** Whether the API server is up (not stopped with {@link #stopApiServer}). */
  public synchronized boolean isApiServerRunning() {
    return server != null;
  }

  /** Closes the cluster's client and stops the API server. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    client.close();
    if (server != null) {
      server.destroy();
      server = null;
    }
  }

  synchronized void putService(ServiceState service) {
    checkOpen();
    ensureNamespace(service.namespace());
    write(() -> client.resource(ResourceFactory.service(service))
        .createOr(NonDeletingOperation::update));
    services.put(key(service.namespace(), service.name()), service);
    reconcile(service);
  }

  synchronized void putPod(PodState pod) {
    checkOpen();
    ensureNamespace(pod.namespace());
    write(() -> client.resource(ResourceFactory.pod(pod)).createOr(NonDeletingOperation::update));
    pods.put(key(pod.namespace(), pod.name()), pod);
    reconcileNamespace(pod.namespace());
  }

  private void reconcileNamespace(String namespace) {
    for (ServiceState s : List.copyOf(services.values())) {
      if (s.namespace().equals(namespace)) {
        reconcile(s);
      }
    }
  }

  private void reconcile(ServiceState service) {
    if (service.selector().isEmpty()) {
      return; // like the real controller: slices of selector-less Services are the user's
    }
    String key = key(service.namespace(), service.name());
    List<EndpointSlice> wanted = EndpointSliceComputer.compute(service, pods.values());
    List<EndpointSlice> previous = writtenSlices.getOrDefault(key, List.of());
    for (EndpointSlice slice : wanted) {
      if (!previous.contains(slice)) {
        write(() -> client.resource(slice).createOr(NonDeletingOperation::update));
      }
    }
    Set<String> wantedNames = new HashSet<>();
    wanted.forEach(s -> wantedNames.add(s.getMetadata().getName()));
    for (EndpointSlice old : previous) {
      if (!wantedNames.contains(old.getMetadata().getName())) {
        write(() -> client.resource(old).delete());
      }
    }
    writtenSlices.put(key, wanted);
  }

  private void ensureNamespace(String name) {
    if (namespaces.add(name)) {
      write(() -> client.resource(ResourceFactory.namespace(name))
          .createOr(NonDeletingOperation::update));
    }
  }

  private PodState existingPod(String namespace, String pod) {
    checkOpen();
    PodState p = pods.get(key(requireNonNull(namespace, "namespace"), requireNonNull(pod, "pod")));
    if (p == null) {
      throw new IllegalArgumentException(
          "pod: " + namespace + "/" + pod + " (expected: a pod declared with pod(...).create())");
    }
    return p;
  }

  private <T> void write(java.util.function.Supplier<T> call) {
    if (server == null) {
      throw new IllegalStateException(
          "API server is stopped (expected: restartApiServer() before changing the cluster)");
    }
    try {
      call.get();
    } catch (KubernetesClientException e) {
      throw new IllegalStateException("mock API server rejected a write: " + e.getMessage(), e);
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("cluster is closed");
    }
  }

  private KubernetesMockServer newServer(int listenPort) {
    KubernetesMockServer s = new KubernetesMockServer(
        new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
    s.init(address, listenPort);
    return s;
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }
}
