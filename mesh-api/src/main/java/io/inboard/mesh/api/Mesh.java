package io.inboard.mesh.api;

import static java.util.Objects.requireNonNull;

import io.inboard.mesh.api.discovery.DiscoveryProvider;
import io.inboard.mesh.api.discovery.EndpointDiscovery;
import io.inboard.mesh.api.policy.ClientPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entry point: one per process (or per test). A mesh knows who the calling workload is,
 * owns the discovery that clients resolve through, and owns every background resource that
 * clients create (watches, threads, channels). {@link #close()} releases all of them.
 *
 * <pre>{@code
 * try (Mesh mesh = Mesh.builder()
 *     .workloadName("productpage-v1")
 *     .label("app", "productpage").label("version", "v1")
 *     .discovery(DiscoveryMode.KUBERNETES)
 *     .build()) {
 *   ...
 * }
 * }</pre>
 */
public final class Mesh implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Mesh.class);
  private static final Path SERVICE_ACCOUNT_NAMESPACE =
      Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

  /**
   * Who the calling workload is.
   *
   * @param workloadName the workload's name, for example {@code productpage-v1}
   * @param namespace the workload's namespace; short service names resolve against it
   * @param labels the workload's labels ({@code app}, {@code version}, ...)
   * @param clusterDomain the cluster's DNS domain (default {@code cluster.local})
   * @param discoveryMode where endpoints come from
   */
  public record Settings(
      String workloadName, String namespace, Map<String, String> labels, String clusterDomain,
      DiscoveryMode discoveryMode) {
    public Settings {
      requireNonNull(workloadName, "workloadName");
      requireNonNull(namespace, "namespace");
      labels = Map.copyOf(requireNonNull(labels, "labels"));
      requireNonNull(clusterDomain, "clusterDomain");
      requireNonNull(discoveryMode, "discoveryMode");
    }
  }

  private final Settings settings;
  private final EndpointDiscovery discovery;
  private final PolicySource policySource;
  private final Deque<AutoCloseable> owned = new ArrayDeque<>();
  private boolean closed;

  private Mesh(Settings settings, EndpointDiscovery discovery, PolicySource policySource) {
    this.settings = settings;
    this.discovery = discovery;
    this.policySource = policySource;
  }

  /** Starts configuring a mesh. */
  public static Builder builder() {
    return new Builder();
  }

  /** Who the calling workload is. */
  public Settings settings() {
    return settings;
  }

  /** Where clients resolve services. */
  public EndpointDiscovery discovery() {
    return discovery;
  }

  /** Parses a service name, resolving a missing namespace against this workload's. */
  public ServiceName service(String name) {
    return ServiceName.parse(name, settings.namespace());
  }

  /**
   * The policy in force for {@code service}: the control-plane layer, then {@code client}
   * (annotations or builder), then {@link ClientPolicy#DEFAULTS}, field by field.
   */
  public ClientPolicy effectivePolicy(ServiceName service, ClientPolicy client) {
    return policySource.policyFor(service).orElse(client).orElse(ClientPolicy.DEFAULTS);
  }

  /**
   * Hands {@code resource} to the mesh, which closes it on {@link #close()}, in reverse order
   * of registration.
   *
   * @throws IllegalStateException if the mesh is closed
   */
  public synchronized <T extends AutoCloseable> T own(T resource) {
    requireNonNull(resource, "resource");
    if (closed) {
      throw new IllegalStateException("mesh for workload '" + settings.workloadName() + "' is closed");
    }
    owned.push(resource);
    return resource;
  }

  /** Closes every owned resource, then discovery. Idempotent. */
  @Override
  public void close() {
    Deque<AutoCloseable> toClose;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      toClose = new ArrayDeque<>(owned);
      owned.clear();
    }
    for (AutoCloseable c : toClose) {
      try {
        c.close();
      } catch (Exception e) {
        log.warn("Closing {} failed", c, e);
      }
    }
    discovery.close();
  }

  /** Builds a {@link Mesh}. */
  public static final class Builder {
    private String workloadName;
    private String namespace;
    private final Map<String, String> labels = new LinkedHashMap<>();
    private String clusterDomain = "cluster.local";
    private DiscoveryMode mode = DiscoveryMode.KUBERNETES;
    private EndpointDiscovery discovery;
    private PolicySource policySource = PolicySource.NONE;

    private Builder() {}

    /**
     * The workload's name (default: env {@code INBOARD_WORKLOAD_NAME}, then {@code HOSTNAME},
     * then the {@code app} label).
     */
    public Builder workloadName(String workloadName) {
      this.workloadName = requireNonNull(workloadName, "workloadName");
      return this;
    }

    /**
     * The workload's namespace (default: env {@code POD_NAMESPACE}, then the service account's
     * namespace file, then {@code default}).
     */
    public Builder namespace(String namespace) {
      this.namespace = requireNonNull(namespace, "namespace");
      return this;
    }

    /** Adds a workload label such as {@code app} or {@code version}. */
    public Builder label(String key, String value) {
      labels.put(requireNonNull(key, "key"), requireNonNull(value, "value"));
      return this;
    }

    /** Adds workload labels. */
    public Builder labels(Map<String, String> labels) {
      labels.forEach(this::label);
      return this;
    }

    /** The cluster's DNS domain (default {@code cluster.local}). */
    public Builder clusterDomain(String clusterDomain) {
      this.clusterDomain = requireNonNull(clusterDomain, "clusterDomain");
      return this;
    }

    /**
     * Discovers through a provider found on the class path (default
     * {@link DiscoveryMode#KUBERNETES}).
     */
    public Builder discovery(DiscoveryMode mode) {
      this.mode = requireNonNull(mode, "mode");
      this.discovery = null;
      return this;
    }

    /** Discovers through {@code discovery}; the mesh takes ownership and closes it. */
    public Builder discovery(EndpointDiscovery discovery) {
      this.discovery = requireNonNull(discovery, "discovery");
      this.mode = DiscoveryMode.CUSTOM;
      return this;
    }

    /** The control-plane policy layer (default {@link PolicySource#NONE}). */
    public Builder policySource(PolicySource policySource) {
      this.policySource = requireNonNull(policySource, "policySource");
      return this;
    }

    /**
     * Builds the mesh and starts discovery.
     *
     * @throws IllegalStateException if the discovery mode's provider is not on the class path
     */
    public Mesh build() {
      String ns = namespace != null ? namespace : defaultNamespace();
      String name = workloadName != null ? workloadName : defaultWorkloadName();
      Settings settings = new Settings(name, ns, labels, clusterDomain, mode);
      EndpointDiscovery d = discovery != null ? discovery : loadProvider(settings);
      return new Mesh(settings, d, policySource);
    }

    private String defaultWorkloadName() {
      String env = System.getenv("INBOARD_WORKLOAD_NAME");
      if (env != null && !env.isBlank()) {
        return env;
      }
      String host = System.getenv("HOSTNAME");
      if (host != null && !host.isBlank()) {
        return host;
      }
      return labels.getOrDefault("app", "unknown");
    }

    private static String defaultNamespace() {
      String env = System.getenv("POD_NAMESPACE");
      if (env != null && !env.isBlank()) {
        return env.trim();
      }
      try {
        if (Files.isReadable(SERVICE_ACCOUNT_NAMESPACE)) {
          return Files.readString(SERVICE_ACCOUNT_NAMESPACE).trim();
        }
      } catch (IOException e) {
        log.debug("Cannot read {}", SERVICE_ACCOUNT_NAMESPACE, e);
      }
      return "default";
    }

    private static EndpointDiscovery loadProvider(Settings settings) {
      for (DiscoveryProvider p : ServiceLoader.load(DiscoveryProvider.class)) {
        if (p.mode() == settings.discoveryMode()) {
          return p.create(settings);
        }
      }
      throw new IllegalStateException("discovery: " + settings.discoveryMode()
          + " (expected: a provider on the class path; for KUBERNETES add io.inboard:mesh-k8s-discovery,"
          + " or pass an EndpointDiscovery to Mesh.builder().discovery(...))");
    }
  }
}
