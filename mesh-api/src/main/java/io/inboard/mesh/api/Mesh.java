package io.inboard.mesh.api;

import static java.util.Objects.requireNonNull;

import io.inboard.mesh.api.context.HeaderPropagation;
import io.inboard.mesh.api.discovery.DiscoveryProvider;
import io.inboard.mesh.api.discovery.EndpointDiscovery;
import io.inboard.mesh.api.inbound.InboundGuard;
import io.inboard.mesh.api.policy.ClientPolicy;
import io.inboard.mesh.api.telemetry.MeshTelemetry;
import io.inboard.mesh.api.telemetry.TelemetryProvider;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
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
 *
 * <p>With a control plane, routing and policy come over xDS, and the workload announces the
 * service it serves so that the control plane can register it:
 *
 * <pre>{@code
 * Mesh mesh = Mesh.builder()
 *     .workloadName("reviews-v2").label("app", "reviews").label("version", "v2")
 *     .serviceAccount("bookinfo-reviews").instanceIps("10.0.0.7")
 *     .serves("reviews", Map.of("grpc", 9080))
 *     .controlPlane("istiod-a:15010", "istiod-b:15010")
 *     .build();
 * }</pre>
 */
public final class Mesh implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Mesh.class);

  /**
   * Who the calling workload is, and where its config comes from.
   *
   * @param workloadName the workload's name, for example {@code productpage-v1}
   * @param namespace the workload's namespace; short service names resolve against it
   * @param labels the workload's labels ({@code app}, {@code version}, ...)
   * @param clusterDomain the cluster's DNS domain (default {@code cluster.local})
   * @param discoveryMode where endpoints come from
   * @param serviceAccount the workload's Kubernetes service account (default {@code default})
   * @param instanceIps the addresses the workload serves on, first one preferred; announced to
   *     control planes (may be empty for a pure client)
   * @param serves the service this workload serves, announced for auto-registration; empty for
   *     a pure client
   * @param controlPlanes {@code host:port} of the control planes, in failover order; non-empty
   *     exactly in {@link DiscoveryMode#XDS}
   * @param initialConfigTimeout how long a first call waits for the control plane's config
   *     before failing (default 10 s)
   * @param zone the topology zone the workload runs in (default: env {@code INBOARD_ZONE}, else
   *     {@code ""} for unknown); clients prefer endpoints in the same zone, and it is announced
   *     to control planes for auto-registration
   */
  public record Settings(
      String workloadName, String namespace, Map<String, String> labels, String clusterDomain,
      DiscoveryMode discoveryMode, String serviceAccount, List<String> instanceIps,
      Optional<ServedService> serves, List<String> controlPlanes, Duration initialConfigTimeout,
      String zone) {

    /** {@link #initialConfigTimeout()} when none is given: 10 seconds. */
    public static final Duration DEFAULT_INITIAL_CONFIG_TIMEOUT = Duration.ofSeconds(10);

    public Settings {
      requireNonNull(workloadName, "workloadName");
      requireNonNull(namespace, "namespace");
      labels = Map.copyOf(requireNonNull(labels, "labels"));
      requireNonNull(clusterDomain, "clusterDomain");
      requireNonNull(discoveryMode, "discoveryMode");
      requireNonNull(serviceAccount, "serviceAccount");
      instanceIps = List.copyOf(requireNonNull(instanceIps, "instanceIps"));
      requireNonNull(serves, "serves");
      controlPlanes = List.copyOf(requireNonNull(controlPlanes, "controlPlanes"));
      requireNonNull(initialConfigTimeout, "initialConfigTimeout");
      requireNonNull(zone, "zone");
      if (initialConfigTimeout.isNegative() || initialConfigTimeout.isZero()) {
        throw new IllegalArgumentException("initialConfigTimeout: " + initialConfigTimeout
            + " (expected: > 0)");
      }
      if ((discoveryMode == DiscoveryMode.XDS) == controlPlanes.isEmpty()) {
        throw new IllegalArgumentException("discovery: " + discoveryMode + " with controlPlanes "
            + controlPlanes + " (expected: control planes exactly when discovery is XDS)");
      }
    }

    /** Settings in no particular zone. */
    public Settings(String workloadName, String namespace, Map<String, String> labels,
        String clusterDomain, DiscoveryMode discoveryMode, String serviceAccount,
        List<String> instanceIps, Optional<ServedService> serves, List<String> controlPlanes,
        Duration initialConfigTimeout) {
      this(workloadName, namespace, labels, clusterDomain, discoveryMode, serviceAccount,
          instanceIps, serves, controlPlanes, initialConfigTimeout, "");
    }

    /** Settings without xDS: service account {@code default}, no addresses, nothing served. */
    public Settings(String workloadName, String namespace, Map<String, String> labels,
        String clusterDomain, DiscoveryMode discoveryMode) {
      this(workloadName, namespace, labels, clusterDomain, discoveryMode, "default", List.of(),
          Optional.empty(), List.of(), DEFAULT_INITIAL_CONFIG_TIMEOUT);
    }

    /** The host of the service this workload serves, such as {@code reviews.default.svc.cluster.local}. */
    public Optional<String> servedHost() {
      return serves.map(sv -> ServiceName.of(sv.name(), namespace).fqdn(clusterDomain));
    }
  }

  /** {@link #adminPort()} when none is given: 15020, Istio's per-workload admin port. */
  public static final int DEFAULT_ADMIN_PORT = 15020;

  private final Settings settings;
  private final EndpointDiscovery discovery;
  private final PolicySource policySource;
  private final HeaderPropagation propagation;
  private final int adminPort;
  private final boolean adminPortFixed;
  private final List<InboundGuard> inboundGuards;
  private final Map<String, Supplier<?>> configDumpSections = new ConcurrentHashMap<>();
  private final Deque<AutoCloseable> owned = new ArrayDeque<>();
  private boolean closed;
  // Set once in build(), before the mesh reaches the application.
  volatile MeshTelemetry telemetry = MeshTelemetry.NONE;

  Mesh(Settings settings, EndpointDiscovery discovery, PolicySource policySource,
      HeaderPropagation propagation, int adminPort, boolean adminPortFixed,
      List<InboundGuard> inboundGuards) {
    this.settings = settings;
    this.discovery = discovery;
    this.policySource = policySource;
    this.propagation = propagation;
    this.adminPort = adminPort;
    this.adminPortFixed = adminPortFixed;
    this.inboundGuards = List.copyOf(inboundGuards);
  }

  /** Starts configuring a mesh. */
  public static MeshBuilder builder() {
    return new MeshBuilder();
  }

  /** Who the calling workload is. */
  public Settings settings() {
    return settings;
  }

  /** Where clients resolve services. */
  public EndpointDiscovery discovery() {
    return discovery;
  }

  /** Which inbound headers outbound calls carry onwards. */
  public HeaderPropagation propagation() {
    return propagation;
  }

  /**
   * The port of the per-workload admin server ({@code /stats/prometheus},
   * {@code /debug/config_dump}): {@value #DEFAULT_ADMIN_PORT} by default, {@code 0} for an
   * ephemeral port, {@code -1} for none. It runs only with {@code mesh-telemetry} on the class
   * path; {@link #telemetry()} gives its bound address.
   */
  public int adminPort() {
    return adminPort;
  }

  /**
   * Whether {@link #adminPort()} was given with {@link Builder#adminPort}: then a port that
   * cannot be bound fails the build. With the default, a taken port 15020 (several workloads
   * on one host, or several meshes in one test JVM) falls back to an ephemeral port, with a
   * warning naming the address.
   */
  public boolean adminPortFixed() {
    return adminPortFixed;
  }

  /** The guards every inbound hook runs before the application, in order. */
  public List<InboundGuard> inboundGuards() {
    return inboundGuards;
  }

  /** Where requests are recorded, and the admin server ({@link MeshTelemetry#NONE} if none). */
  public MeshTelemetry telemetry() {
    return telemetry;
  }

  /**
   * Adds (or replaces) a section of {@code /debug/config_dump}: {@code section} is called on
   * each dump and should return maps, lists, strings, numbers and booleans. A data plane adds
   * what it holds, such as the xDS resources it ACKed or NACKed.
   */
  public void configDumpSection(String name, Supplier<?> section) {
    configDumpSections.put(requireNonNull(name, "name"), requireNonNull(section, "section"));
  }

  /** The sections added with {@link #configDumpSection}, by name. */
  public Map<String, Supplier<?>> configDumpSections() {
    return Map.copyOf(configDumpSections);
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

}
