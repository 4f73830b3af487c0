package io.inboard.mesh.api;

import static java.util.Objects.requireNonNull;

import io.inboard.mesh.api.internal.InternalMesh;
import io.inboard.mesh.api.internal.MeshInternals;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

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

  /**
   * Who the calling workload is, and where its config comes from: what {@link MeshBuilder} was
   * given, with the environment's defaults filled in. Read-only; built by {@link #builder()}.
   */
  public static final class Settings {

    /** {@link #initialConfigTimeout()} when none is given: 10 seconds. */
    public static final Duration DEFAULT_INITIAL_CONFIG_TIMEOUT = Duration.ofSeconds(10);

    private final String workloadName;
    private final String namespace;
    private final Map<String, String> labels;
    private final String clusterDomain;
    private final DiscoveryMode discoveryMode;
    private final String serviceAccount;
    private final List<String> instanceIps;
    private final Optional<ServedService> serves;
    private final List<String> controlPlanes;
    private final Duration initialConfigTimeout;
    private final String zone;
    private final Optional<IdentitySettings> identity;

    Settings(String workloadName, String namespace, Map<String, String> labels,
        String clusterDomain, DiscoveryMode discoveryMode, String serviceAccount,
        List<String> instanceIps, Optional<ServedService> serves, List<String> controlPlanes,
        Duration initialConfigTimeout, String zone, Optional<IdentitySettings> identity) {
      this.workloadName = requireNonNull(workloadName, "workloadName");
      this.namespace = requireNonNull(namespace, "namespace");
      this.labels = Map.copyOf(requireNonNull(labels, "labels"));
      this.clusterDomain = requireNonNull(clusterDomain, "clusterDomain");
      this.discoveryMode = requireNonNull(discoveryMode, "discoveryMode");
      this.serviceAccount = requireNonNull(serviceAccount, "serviceAccount");
      this.instanceIps = List.copyOf(requireNonNull(instanceIps, "instanceIps"));
      this.serves = requireNonNull(serves, "serves");
      this.controlPlanes = List.copyOf(requireNonNull(controlPlanes, "controlPlanes"));
      this.initialConfigTimeout = requireNonNull(initialConfigTimeout, "initialConfigTimeout");
      this.zone = requireNonNull(zone, "zone");
      this.identity = requireNonNull(identity, "identity");
      if (initialConfigTimeout.isNegative() || initialConfigTimeout.isZero()) {
        throw new IllegalArgumentException("initialConfigTimeout: " + initialConfigTimeout
            + " (expected: > 0)");
      }
      if ((discoveryMode == DiscoveryMode.XDS) == controlPlanes.isEmpty()) {
        throw new IllegalArgumentException("discovery: " + discoveryMode + " with controlPlanes "
            + controlPlanes + " (expected: control planes exactly when discovery is XDS)");
      }
    }

    /** The workload's name, for example {@code productpage-v1}. */
    public String workloadName() {
      return workloadName;
    }

    /** The workload's namespace; short service names resolve against it. */
    public String namespace() {
      return namespace;
    }

    /** The workload's labels ({@code app}, {@code version}, ...). */
    public Map<String, String> labels() {
      return labels;
    }

    /** The cluster's DNS domain (default {@code cluster.local}). */
    public String clusterDomain() {
      return clusterDomain;
    }

    /** Where endpoints come from (default {@link DiscoveryMode#KUBERNETES}). */
    public DiscoveryMode discoveryMode() {
      return discoveryMode;
    }

    /** The workload's Kubernetes service account (default {@code default}). */
    public String serviceAccount() {
      return serviceAccount;
    }

    /**
     * The addresses the workload serves on, first one preferred; announced to control planes
     * (may be empty for a pure client).
     */
    public List<String> instanceIps() {
      return instanceIps;
    }

    /**
     * The service this workload serves, announced for auto-registration; empty for a pure
     * client.
     */
    public Optional<ServedService> serves() {
      return serves;
    }

    /**
     * {@code host:port} of the control planes, in failover order; non-empty exactly in
     * {@link DiscoveryMode#XDS}.
     */
    public List<String> controlPlanes() {
      return controlPlanes;
    }

    /**
     * How long a first call waits for the control plane's config before failing (default
     * {@link #DEFAULT_INITIAL_CONFIG_TIMEOUT}, 10 s).
     */
    public Duration initialConfigTimeout() {
      return initialConfigTimeout;
    }

    /**
     * The topology zone the workload runs in (default: env {@code INBOARD_ZONE}, else {@code ""}
     * for unknown); clients prefer endpoints in the same zone, and it is announced to control
     * planes for auto-registration.
     */
    public String zone() {
      return zone;
    }

    /**
     * How the workload gets its mesh identity for mTLS, or empty when it has none (then it
     * neither serves nor calls mTLS). On when a CA address, a token file and a root bundle are
     * all available; see {@link MeshBuilder#mtls(boolean)}.
     */
    public Optional<IdentitySettings> identity() {
      return identity;
    }

    /** The host of the service this workload serves, such as {@code reviews.default.svc.cluster.local}. */
    public Optional<String> servedHost() {
      return serves.map(sv -> ServiceName.of(sv.name(), namespace).fqdn(clusterDomain));
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Settings s && workloadName.equals(s.workloadName)
          && namespace.equals(s.namespace) && labels.equals(s.labels)
          && clusterDomain.equals(s.clusterDomain) && discoveryMode == s.discoveryMode
          && serviceAccount.equals(s.serviceAccount) && instanceIps.equals(s.instanceIps)
          && serves.equals(s.serves) && controlPlanes.equals(s.controlPlanes)
          && initialConfigTimeout.equals(s.initialConfigTimeout) && zone.equals(s.zone)
          && identity.equals(s.identity);
    }

    @Override
    public int hashCode() {
      return Objects.hash(workloadName, namespace, labels, clusterDomain, discoveryMode,
          serviceAccount, instanceIps, serves, controlPlanes, initialConfigTimeout, zone, identity);
    }

    @Override
    public String toString() {
      return "Settings[workloadName=" + workloadName + ", namespace=" + namespace + ", labels="
          + labels + ", clusterDomain=" + clusterDomain + ", discoveryMode=" + discoveryMode
          + ", serviceAccount=" + serviceAccount + ", instanceIps=" + instanceIps + ", serves="
          + serves + ", controlPlanes=" + controlPlanes + ", initialConfigTimeout="
          + initialConfigTimeout + ", zone=" + zone + ", identity=" + identity + "]";
    }
  }

  /** The admin port when none is given: 15020, Istio's per-workload admin port. */
  public static final int DEFAULT_ADMIN_PORT = 15020;

  static {
    InternalMesh.bind(mesh -> mesh.internals);
  }

  private final Settings settings;
  private final MeshInternals internals;

  Mesh(Settings settings, MeshInternals internals) {
    this.settings = settings;
    this.internals = internals;
  }

  /** Starts configuring a mesh. */
  public static MeshBuilder builder() {
    return new MeshBuilder();
  }

  /** Who the calling workload is. */
  public Settings settings() {
    return settings;
  }

  /** Parses a service name, resolving a missing namespace against this workload's. */
  public ServiceName service(String name) {
    return ServiceName.parse(name, settings.namespace());
  }

  /**
   * Where the per-workload admin server ({@code /stats/prometheus},
   * {@code /debug/config_dump}) listens: empty without {@code mesh-telemetry} on the class path
   * or with {@link MeshBuilder#adminPort adminPort(-1)}. With an ephemeral port this is the way
   * to learn it.
   */
  public Optional<InetSocketAddress> adminAddress() {
    return internals.telemetry().adminAddress();
  }

  /**
   * Closes every resource the mesh owns (the clients' channels, watches and threads, the admin
   * server), in reverse order of creation, then discovery. Idempotent.
   */
  @Override
  public void close() {
    internals.close();
  }
}
