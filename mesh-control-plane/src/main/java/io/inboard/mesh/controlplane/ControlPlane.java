package io.inboard.mesh.controlplane;

import static java.util.Objects.requireNonNull;

import io.inboard.mesh.controlplane.internal.admin.AdminApiServer;
import io.inboard.mesh.controlplane.internal.ads.AdsServer;
import io.inboard.mesh.controlplane.internal.ads.WorkloadTracker;
import io.inboard.mesh.controlplane.internal.model.MeshConfig;
import io.inboard.mesh.controlplane.internal.model.ParsedResource;
import io.inboard.mesh.controlplane.internal.parse.ResourceIds;
import io.inboard.mesh.controlplane.internal.parse.ResourceParser;
import io.inboard.mesh.controlplane.internal.source.AutoRegistration;
import io.inboard.mesh.controlplane.internal.source.ConfigDirectory;
import io.inboard.mesh.controlplane.internal.store.ConfigStore;
import io.inboard.mesh.controlplane.internal.translate.XdsTranslator;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Inboard's control plane: holds Istio resources and service endpoints, and serves them as xDS
 * over ADS to grpc-xds clients. Invalid input is rejected whole, naming the resource, the field,
 * the value and what was expected; the last good configuration stays served.
 *
 * <p><b>Workload auto-registration.</b> A workload that connects over ADS announces itself in its
 * node metadata: {@code NAMESPACE}, {@code WORKLOAD_NAME}, {@code SERVICE_ACCOUNT}, {@code
 * LABELS} (struct of strings), {@code INSTANCE_IPS} (comma-separated; the first is used), {@code
 * INBOARD_SERVICE} (short service name, resolved in {@code NAMESPACE}) and {@code INBOARD_PORTS}
 * (struct: port name to number). It becomes an endpoint of {@code
 * <service>.<namespace>.svc.<domain>} on each port, with its labels, while a stream is open, and
 * for {@link Builder#registrationGracePeriod} after its last stream closes. A node without
 * {@code INBOARD_SERVICE} is a pure client: it is listed in {@link #workloads()} but serves
 * nothing. ACKs and NACKs are recorded per workload. The {@code LABELS} a workload announces
 * are also what VirtualService {@code sourceLabels} matches are checked against, in local and
 * Kubernetes mode alike (Pod labels are not looked up).
 *
 * <pre>{@code
 * try (ControlPlane cp = ControlPlane.builder().xdsPort(0).adminPort(0).start()) {
 *   cp.register(new ServiceEndpoint("reviews.default.svc.cluster.local", 9080, "127.0.0.2",
 *       Map.of("app", "reviews", "version", "v1")));
 *   Diagnostics d = cp.apply(Files.readString(Path.of("virtual-service-reviews-v3.yaml")));
 * }
 * }</pre>
 */
public final class ControlPlane implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ControlPlane.class);

  private final ResourceParser parser;
  private final String defaultNamespace;
  private final XdsTranslator translator = new XdsTranslator();
  private final ConfigStore store = new ConfigStore();
  private final WorkloadTracker tracker;
  private final AdsServer ads;
  private final AutoRegistration autoRegistration;
  private final ConfigDirectory directory;
  private final AdminApiServer admin;
  private final String host;

  private ControlPlane(Builder b) throws IOException {
    this.parser = new ResourceParser(b.defaultNamespace, b.clusterDomain);
    this.defaultNamespace = b.defaultNamespace;
    this.host = b.host;
    this.tracker = new WorkloadTracker(b.defaultNamespace, b.clusterDomain, Clock.systemUTC());
    this.ads = new AdsServer(b.host, b.xdsPort, tracker);
    this.autoRegistration = b.autoRegistration
        ? new AutoRegistration(tracker, this::replaceEndpoints, b.registrationGracePeriod)
        : null;
    this.directory = b.configDirectory == null ? null
        : new ConfigDirectory(b.configDirectory, parser, this::replaceFileResources);
    if (directory != null) {
      directory.scan();
      directory.watch(b.configPollInterval);
    }
    publish();
    int adminPort = b.adminPort != null ? b.adminPort : b.xdsPort == 0 ? 0 : 15014;
    this.admin = adminPort < 0 ? null
        : AdminApiServer.start(b.host, adminPort, this, tracker, ads::serving);
  }

  /** Starts configuring a control plane. */
  public static Builder builder() {
    return new Builder();
  }

  /** The port ADS is served on (the bound one when the builder asked for 0). */
  public int xdsPort() {
    return ads.port();
  }

  /** {@code host:port} of the ADS server, as clients dial it. */
  public String xdsAddress() {
    return host + ":" + xdsPort();
  }

  /**
   * The port of the admin HTTP API (the bound one when the builder asked for 0).
   *
   * @throws IllegalStateException when the admin API was disabled with {@code adminPort(-1)}
   */
  public int adminPort() {
    if (admin == null) {
      throw new IllegalStateException("adminPort: disabled (expected: adminPort >= 0)");
    }
    return admin.port();
  }

  /** The namespace of resources and workloads that name none. */
  public String defaultNamespace() {
    return defaultNamespace;
  }

  /** {@code http://host:port} of the admin HTTP API, as {@code inboardctl --server} takes it. */
  public String adminUrl() {
    return "http://" + host + ":" + adminPort();
  }

  /**
   * Applies every resource in {@code yaml} (one or more documents). If any is invalid nothing is
   * applied and the returned diagnostics hold the errors; otherwise the resources replace those
   * of the same kind, namespace and name, and clients are updated.
   */
  public synchronized Diagnostics apply(String yaml) {
    ResourceParser.Result result = parser.parse("input", requireNonNull(yaml, "yaml"));
    if (!result.hasErrors()) {
      store.putAll(result);
      publish();
    }
    return new Diagnostics(store.withReferences(result));
  }

  /** Validates {@code yaml} as {@link #apply} would, and changes nothing. */
  public synchronized Diagnostics analyze(String yaml) {
    return new Diagnostics(store.withReferences(parser.parse("input",
        requireNonNull(yaml, "yaml"))));
  }

  /**
   * Deletes the resources {@code yaml} names: each document's kind, {@code metadata.namespace}
   * (default: the default namespace) and {@code metadata.name}; the spec is ignored. All or
   * nothing: if any is not stored, or a document names none, nothing is deleted.
   */
  public synchronized Deletion delete(String yaml) {
    ResourceIds.Result ids = ResourceIds.read("input", requireNonNull(yaml, "yaml"),
        defaultNamespace);
    List<ResourceId> unknown = ids.ids().stream().filter(id -> !store.contains(id)).toList();
    Diagnostics errors = new Diagnostics(ids.errors());
    if (!unknown.isEmpty() || errors.hasErrors()) {
      return new Deletion(List.of(), unknown, errors);
    }
    if (store.removeAll(ids.ids())) {
      publish();
    }
    return new Deletion(ids.ids(), List.of(), errors);
  }

  /**
   * The stored resources, in the order first applied; an empty {@code kind}, {@code namespace}
   * or {@code name} matches any. Kinds match case-insensitively ({@code virtualservice}).
   */
  public synchronized List<StoredResource> resources(String kind, String namespace, String name) {
    List<StoredResource> out = new ArrayList<>();
    for (ParsedResource r : store.resources()) {
      ResourceId id = r.id();
      if ((kind.isEmpty() || id.kind().equalsIgnoreCase(kind))
          && (namespace.isEmpty() || id.namespace().equals(namespace))
          && (name.isEmpty() || id.name().equals(name))) {
        @SuppressWarnings("unchecked")
        Map<String, Object> doc = store.document(id) instanceof Map<?, ?> m
            ? (Map<String, Object>) m : Map.of();
        out.add(new StoredResource(id, doc, r.diagnostics()));
      }
    }
    return out;
  }

  /**
   * Adds an endpoint to its service port, which becomes known, and updates clients; adding it
   * twice changes nothing.
   */
  public void register(ServiceEndpoint endpoint) {
    register(List.of(requireNonNull(endpoint, "endpoint")));
  }

  /**
   * Removes an endpoint and updates clients. Its service port stays served, with no endpoints
   * when this was the last.
   */
  public void deregister(ServiceEndpoint endpoint) {
    deregister(List.of(requireNonNull(endpoint, "endpoint")));
  }

  /** Adds every endpoint of {@code endpoints} and updates clients once. */
  public void register(Collection<ServiceEndpoint> endpoints) {
    update(EndpointUpdate.builder().register(endpoints).build());
  }

  /** Removes every endpoint of {@code endpoints} and updates clients once. */
  public void deregister(Collection<ServiceEndpoint> endpoints) {
    update(EndpointUpdate.builder().deregister(endpoints).build());
  }

  /**
   * Applies a batch of service-port and endpoint changes and updates clients once (not at all
   * when nothing changed).
   */
  public synchronized void update(EndpointUpdate update) {
    if (store.apply(requireNonNull(update, "update"))) {
      publish();
    }
  }

  /** The known service ports, ordered by host and port (see the class comment). */
  public synchronized List<ServicePort> services() {
    return store.services();
  }

  /**
   * What is known about the current configuration: warnings and not-served notes of the stored
   * resources, and errors of configuration-directory files whose current content is rejected.
   */
  public Diagnostics diagnostics() {
    // the directory's errors are read outside this lock: the directory calls in under its own
    List<Diagnostic> all = new ArrayList<>(directory == null ? List.of() : directory.errors());
    synchronized (this) {
      all.addAll(store.diagnostics());
    }
    return new Diagnostics(all);
  }

  /** The workloads connected over ADS, and those within their grace period after leaving. */
  public List<WorkloadStatus> workloads() {
    return tracker.workloads();
  }

  /** The workload {@code key} names: a node id, {@code WORKLOAD_NAME} or {@code ns/name}. */
  public Optional<WorkloadStatus> workload(String key) {
    return tracker.find(requireNonNull(key, "key")).flatMap(tracker::status);
  }

  @Override
  public void close() {
    if (admin != null) {
      admin.close();
    }
    if (directory != null) {
      directory.close();
    }
    try {
      ads.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (autoRegistration != null) {
      autoRegistration.close();
    }
  }

  private synchronized void replaceFileResources(List<ResourceId> remove,
      ResourceParser.Result add) {
    store.removeAll(remove);
    store.putAll(add);
    publish();
  }

  private void replaceEndpoints(List<ServiceEndpoint> remove, List<ServiceEndpoint> add) {
    update(EndpointUpdate.builder().deregister(remove).register(add).build());
  }

  private void publish() {
    // each label set of the connected workloads gets its own routes (VirtualService
    // sourceLabels); the snapshot is immutable, so later-connecting groups can use it too
    MeshConfig config = store.snapshot();
    String version = ads.publish(labels -> translator.translate(config, labels));
    log.debug("serving config version {}", version);
  }

  /** Configures a {@link ControlPlane}. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int xdsPort = 15010;
    private Integer adminPort;
    private Path configDirectory;
    private Duration configPollInterval = Duration.ofSeconds(1);
    private Duration registrationGracePeriod = Duration.ofSeconds(10);
    private boolean autoRegistration = true;
    private String defaultNamespace = "default";
    private String clusterDomain = "cluster.local";

    private Builder() {}

    /** The address ADS and the admin API bind to (default {@code 127.0.0.1}). */
    public Builder host(String host) {
      this.host = requireNonNull(host, "host");
      return this;
    }

    /** The ADS port (default 15010, as istiod's plaintext xDS); 0 picks a free port. */
    public Builder xdsPort(int port) {
      this.xdsPort = checkPort("xdsPort", port, 0);
      return this;
    }

    /**
     * The admin HTTP API port (see {@code AdminApiServer} for its endpoints). Default 15014, as
     * istiod's; but when {@link #xdsPort} is 0 the default is 0 too, so that control planes
     * started for tests never collide on it. 0 picks a free port; -1 disables the admin API.
     */
    public Builder adminPort(int port) {
      this.adminPort = checkPort("adminPort", port, -1);
      return this;
    }

    /**
     * Local mode: serves every {@code *.yaml} and {@code *.yml} file of {@code dir}, and keeps
     * following them (default: no directory). A file with an invalid resource is rejected whole
     * and reported by {@link ControlPlane#diagnostics()}; its last good content stays served and
     * the other files still load.
     */
    public Builder configDirectory(Path dir) {
      this.configDirectory = requireNonNull(dir, "dir");
      return this;
    }

    /** How often the config directory is checked for changes (default 1 s). */
    public Builder configPollInterval(Duration interval) {
      this.configPollInterval = checkPositive("configPollInterval", interval);
      return this;
    }

    /**
     * How long an auto-registered workload stays an endpoint after its last ADS stream closes
     * (default 10 s). A workload that reconnects within it changes nothing.
     */
    public Builder registrationGracePeriod(Duration grace) {
      requireNonNull(grace, "grace");
      if (grace.isNegative()) {
        throw new IllegalArgumentException(
            "registrationGracePeriod: " + grace + " (expected: >= 0)");
      }
      this.registrationGracePeriod = grace;
      return this;
    }

    /**
     * Whether a workload that announces a served service in its node metadata is registered as
     * an endpoint of it while connected (default true: local mode). Turn it off when endpoints
     * come from elsewhere, such as the Kubernetes API, so that a pod is not listed twice (and
     * not kept after Kubernetes removed it); workloads are still tracked and shown.
     */
    public Builder autoRegistration(boolean enabled) {
      this.autoRegistration = enabled;
      return this;
    }

    /** The namespace of resources and workloads that name none (default {@code default}). */
    public Builder defaultNamespace(String namespace) {
      this.defaultNamespace = requireNonNull(namespace, "namespace");
      return this;
    }

    /** The domain short host names expand to (default {@code cluster.local}). */
    public Builder clusterDomain(String domain) {
      this.clusterDomain = requireNonNull(domain, "domain");
      return this;
    }

    /** Binds the ports, loads the config directory and starts serving. */
    public ControlPlane start() throws IOException {
      return new ControlPlane(this);
    }

    private static int checkPort(String name, int port, int min) {
      if (port < min || port > 65535) {
        throw new IllegalArgumentException(name + ": " + port + " (expected: " + min + "..65535)");
      }
      return port;
    }

    private static Duration checkPositive(String name, Duration d) {
      requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + ": " + d + " (expected: > 0)");
      }
      return d;
    }
  }
}
