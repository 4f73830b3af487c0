package io.inboard.mesh.controlplane;

import static java.util.Objects.requireNonNull;

import io.inboard.mesh.controlplane.internal.ControlPlaneEngine;
import io.inboard.mesh.controlplane.internal.parse.ResourceParser;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

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
  private final ControlPlaneEngine engine;
  private final String host;

  private ControlPlane(Builder b) throws IOException {
    this.host = b.host;
    int adminPort = b.adminPort != null ? b.adminPort : b.xdsPort == 0 ? 0 : 15014;
    this.engine = new ControlPlaneEngine(new ControlPlaneEngine.Settings(b.host, b.xdsPort,
        adminPort, b.configDirectory, b.configPollInterval, b.registrationGracePeriod,
        b.autoRegistration, b.defaultNamespace, b.clusterDomain, b.rootNamespace));
  }

  /** Starts configuring a control plane. */
  public static Builder builder() {
    return new Builder();
  }

  /** The port ADS is served on (the bound one when the builder asked for 0). */
  public int xdsPort() {
    return engine.xdsPort();
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
    return engine.adminPort().orElseThrow(() -> new IllegalStateException(
        "adminPort: disabled (expected: adminPort >= 0)"));
  }

  /** The namespace of resources and workloads that name none. */
  public String defaultNamespace() {
    return engine.defaultNamespace();
  }

  /** The DNS domain of service hosts, as in {@code reviews.default.svc.<domain>}. */
  public String clusterDomain() {
    return engine.clusterDomain();
  }

  /**
   * The namespace of mesh-wide policy (see {@link Builder#rootNamespace}): a PeerAuthentication
   * without selector there applies to every workload.
   */
  public String rootNamespace() {
    return engine.rootNamespace();
  }

  /**
   * The trust domain of workload identities, {@code spiffe://<trustDomain>/ns/<ns>/sa/<sa>}:
   * the {@link #clusterDomain()}, as in Istio's default install.
   */
  public String trustDomain() {
    return engine.clusterDomain();
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
  public Diagnostics apply(String yaml) {
    return engine.apply(yaml);
  }

  /** Validates {@code yaml} as {@link #apply} would, and changes nothing. */
  public Diagnostics analyze(String yaml) {
    return engine.analyze(yaml);
  }

  /**
   * Deletes the resources {@code yaml} names: each document's kind, {@code metadata.namespace}
   * (default: the default namespace) and {@code metadata.name}; the spec is ignored. All or
   * nothing: if any is not stored, or a document names none, nothing is deleted.
   */
  public Deletion delete(String yaml) {
    return engine.delete(yaml);
  }

  /**
   * The stored resources, in the order first applied; an empty {@code kind}, {@code namespace}
   * or {@code name} matches any. Kinds match case-insensitively ({@code virtualservice}).
   */
  public List<StoredResource> resources(String kind, String namespace, String name) {
    return engine.resources(kind, namespace, name);
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
  public void update(EndpointUpdate update) {
    engine.update(update);
  }

  /** The known service ports, ordered by host and port (see the class comment). */
  public List<ServicePort> services() {
    return engine.services();
  }

  /**
   * What is known about the current configuration: warnings and not-served notes of the stored
   * resources, and errors of configuration-directory files whose current content is rejected.
   */
  public Diagnostics diagnostics() {
    return engine.diagnostics();
  }

  /** The workloads connected over ADS, and those within their grace period after leaving. */
  public List<WorkloadStatus> workloads() {
    return engine.workloads();
  }

  /** The workload {@code key} names: a node id, {@code WORKLOAD_NAME} or {@code ns/name}. */
  public Optional<WorkloadStatus> workload(String key) {
    return engine.workload(key);
  }

  @Override
  public void close() {
    engine.close();
  }

  /** The engine behind this facade, for {@link InternalControlPlane} only. */
  ControlPlaneEngine engine() {
    return engine;
  }

  /** {@link Builder#defaultNamespace} when none is given: {@code default}, as in Kubernetes. */
  public static final String DEFAULT_NAMESPACE = "default";

  /** {@link Builder#clusterDomain} when none is given: {@code cluster.local}, as in Kubernetes. */
  public static final String DEFAULT_CLUSTER_DOMAIN = "cluster.local";

  /** {@link Builder#rootNamespace} when none is given: {@code istio-system}, as in Istio. */
  public static final String DEFAULT_ROOT_NAMESPACE = ResourceParser.DEFAULT_ROOT_NAMESPACE;

  /** Configures a {@link ControlPlane}. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int xdsPort = 15010;
    private Integer adminPort;
    private Path configDirectory;
    private Duration configPollInterval = Duration.ofSeconds(1);
    private Duration registrationGracePeriod = Duration.ofSeconds(10);
    private boolean autoRegistration = true;
    private String defaultNamespace = DEFAULT_NAMESPACE;
    private String clusterDomain = DEFAULT_CLUSTER_DOMAIN;
    private String rootNamespace = DEFAULT_ROOT_NAMESPACE;

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

    /**
     * The namespace of mesh-wide policy (default {@code istio-system}, as Istio's root
     * namespace), so that Istio's documented mesh-wide YAML works unchanged: a
     * PeerAuthentication without selector here applies to the whole mesh, and one with a
     * selector here is ignored (with a warning), as in Istio.
     */
    public Builder rootNamespace(String namespace) {
      requireNonNull(namespace, "namespace");
      if (namespace.isBlank()) {
        throw new IllegalArgumentException("rootNamespace: '' (expected: a namespace name)");
      }
      this.rootNamespace = namespace;
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
