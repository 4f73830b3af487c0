package io.inboard.mesh.api;

import static java.util.Objects.requireNonNull;

import io.inboard.mesh.api.Mesh.Settings;
import io.inboard.mesh.api.context.HeaderPropagation;
import io.inboard.mesh.api.discovery.DiscoveryProvider;
import io.inboard.mesh.api.discovery.EndpointDiscovery;
import io.inboard.mesh.api.inbound.InboundGuard;
import io.inboard.mesh.api.internal.IdentityDefaults;
import io.inboard.mesh.api.internal.MeshInternals;
import io.inboard.mesh.api.internal.MeshStartHook;
import io.inboard.mesh.api.internal.WorkloadDefaults;
import io.inboard.mesh.api.internal.XdsModeDiscovery;
import io.inboard.mesh.api.internal.telemetry.TelemetryProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Function;

/** Builds a {@link Mesh}. */
public final class MeshBuilder {
  private String workloadName;
  private String namespace;
  private final Map<String, String> labels = new LinkedHashMap<>();
  private String clusterDomain = "cluster.local";
  private DiscoveryMode mode = DiscoveryMode.KUBERNETES;
  private EndpointDiscovery discovery;
  private String serviceAccount;
  private List<String> instanceIps;
  private ServedService serves;
  private List<String> controlPlanes = List.of();
  private Duration initialConfigTimeout = Settings.DEFAULT_INITIAL_CONFIG_TIMEOUT;
  private String zone;
  private final List<String> propagateHeaders = new ArrayList<>();
  private int adminPort = Mesh.DEFAULT_ADMIN_PORT;
  private boolean adminPortFixed;
  private final List<InboundGuard> inboundGuards = new ArrayList<>();
  private Boolean mtls;
  private String caAddress;
  private Path identityTokenFile;
  private Path caRootCertFile;
  private String trustDomain;
  private Duration certificateLifetime;
  private IdentitySettings.KeyType keyType;
  private Duration rootCertRefreshInterval;
  private boolean modeChosen;
  private Function<String, String> env = System::getenv;

  MeshBuilder() {}

  /** Reads the environment through {@code env} instead of this process's (tests only). */
  MeshBuilder environment(Function<String, String> env) {
    this.env = requireNonNull(env, "env");
    return this;
  }

  /**
   * Whether this workload has a mesh identity and takes part in mTLS (needs
   * {@code mesh-security}). Unset (the default), identity is on when a CA address, a token file
   * and a root bundle are all available (see {@link #caAddress}, {@link #identityTokenFile},
   * {@link #caRootCertFile}), and off otherwise; {@code false} turns it off; {@code true}
   * requires it, and {@link #build()} fails naming what is missing.
   */
  public MeshBuilder mtls(boolean enabled) {
    this.mtls = enabled;
    return this;
  }

  /**
   * {@code host:port} of the mesh CA (Istio's {@code IstioCertificateService}, over TLS; default:
   * env {@code CA_ADDR}, else the first control plane's host on port
   * {@value IdentitySettings#DEFAULT_CA_PORT}, else none). Its certificate must verify against
   * {@link #caRootCertFile} and name this host.
   */
  public MeshBuilder caAddress(String hostPort) {
    this.caAddress = requireNonNull(hostPort, "hostPort");
    return this;
  }

  /**
   * The file holding the workload's bearer token for the CA, re-read for every request (default:
   * env {@code INBOARD_IDENTITY_TOKEN_FILE}, else Istio's projected token
   * {@code /var/run/secrets/tokens/istio-token} when it exists). Must be readable at
   * {@link #build()}.
   */
  public MeshBuilder identityTokenFile(Path file) {
    this.identityTokenFile = requireNonNull(file, "file");
    return this;
  }

  /**
   * The PEM bundle of the mesh's trusted roots, re-read every
   * {@link #rootCertRefreshInterval} (default: env {@code INBOARD_CA_ROOT_CERT}, else
   * {@code /var/run/secrets/istio/root-cert.pem} when it exists). Must be readable at
   * {@link #build()}.
   */
  public MeshBuilder caRootCertFile(Path file) {
    this.caRootCertFile = requireNonNull(file, "file");
    return this;
  }

  /** The trust domain of the workload's SPIFFE ID (default {@code cluster.local}). */
  public MeshBuilder trustDomain(String trustDomain) {
    this.trustDomain = requireNonNull(trustDomain, "trustDomain");
    return this;
  }

  /**
   * The lifetime asked of the CA for each workload certificate (default 24 h; from 1 s, for
   * tests, to 90 days). Certificates are renewed at half their life.
   */
  public MeshBuilder certificateLifetime(Duration lifetime) {
    this.certificateLifetime = requireNonNull(lifetime, "lifetime");
    return this;
  }

  /** The type of the workload's keys (default {@link IdentitySettings.KeyType#EC_P256}). */
  public MeshBuilder keyType(IdentitySettings.KeyType keyType) {
    this.keyType = requireNonNull(keyType, "keyType");
    return this;
  }

  /** How often the root bundle is re-read (default 10 s). */
  public MeshBuilder rootCertRefreshInterval(Duration interval) {
    this.rootCertRefreshInterval = requireNonNull(interval, "interval");
    return this;
  }

  /**
   * Also propagates {@code headers}, such as {@code end-user}, from each inbound request to
   * the outbound calls made while serving it. Adds to
   * {@link HeaderPropagation#DEFAULT_HEADERS} ({@code x-request-id}, {@code traceparent},
   * {@code tracestate}, B3, {@code x-ot-span-context}, {@code baggage}), which always apply.
   *
   * @throws IllegalArgumentException for an invalid or hop-by-hop header name
   */
  public MeshBuilder propagateHeaders(String... headers) {
    List<String> all = new ArrayList<>(propagateHeaders);
    all.addAll(List.of(requireNonNull(headers, "headers")));
    new HeaderPropagation(all); // fails now, naming the bad header, rather than in build()
    propagateHeaders.clear();
    propagateHeaders.addAll(all);
    return this;
  }

  /**
   * The per-workload admin server's port (default {@value Mesh#DEFAULT_ADMIN_PORT}, or an
   * ephemeral port with a warning when that is taken); {@code 0} binds an ephemeral port,
   * {@code -1} starts none. A port given here must be free, or {@link #build()} fails. Needs
   * {@code mesh-telemetry}.
   *
   * @throws IllegalArgumentException for a port outside -1..65535
   */
  public MeshBuilder adminPort(int port) {
    if (port < -1 || port > 65535) {
      throw new IllegalArgumentException("adminPort: " + port
          + " (expected: 0..65535, 0 for ephemeral, or -1 for none)");
    }
    this.adminPort = port;
    this.adminPortFixed = true;
    return this;
  }

  /**
   * Adds a guard that every inbound hook runs before the application, after those added
   * before (default: none).
   */
  public MeshBuilder inboundGuard(InboundGuard guard) {
    inboundGuards.add(requireNonNull(guard, "guard"));
    return this;
  }

  /**
   * The workload's name (default: env {@code INBOARD_WORKLOAD_NAME}, then {@code HOSTNAME},
   * then the {@code app} label).
   */
  public MeshBuilder workloadName(String workloadName) {
    this.workloadName = requireNonNull(workloadName, "workloadName");
    return this;
  }

  /**
   * The workload's namespace (default: env {@code POD_NAMESPACE}, then the service account's
   * namespace file, then {@code default}).
   */
  public MeshBuilder namespace(String namespace) {
    this.namespace = requireNonNull(namespace, "namespace");
    return this;
  }

  /**
   * Adds a workload label such as {@code app} or {@code version}. Labels added here win over
   * those of the environment (default: the file env {@code INBOARD_POD_LABELS_FILE} names, in
   * the downward API's {@code key="value"} format, as Inboard's injector mounts it; else env
   * {@code INBOARD_LABELS}, {@code k=v,k2=v2}; else none).
   */
  public MeshBuilder label(String key, String value) {
    labels.put(requireNonNull(key, "key"), requireNonNull(value, "value"));
    return this;
  }

  /** Adds workload labels. */
  public MeshBuilder labels(Map<String, String> labels) {
    labels.forEach(this::label);
    return this;
  }

  /** The cluster's DNS domain (default {@code cluster.local}). */
  public MeshBuilder clusterDomain(String clusterDomain) {
    this.clusterDomain = requireNonNull(clusterDomain, "clusterDomain");
    return this;
  }

  /**
   * Discovers through a provider found on the class path (default: {@link DiscoveryMode#XDS}
   * with the control planes env {@code INBOARD_CONTROL_PLANE} names, as Inboard's injector sets
   * it, else {@link DiscoveryMode#KUBERNETES}). The last of this, {@link #controlPlane} and
   * {@link #discovery(EndpointDiscovery)} wins; {@code XDS} needs {@link #controlPlane} or that
   * variable.
   */
  public MeshBuilder discovery(DiscoveryMode mode) {
    this.mode = requireNonNull(mode, "mode");
    this.modeChosen = true;
    this.discovery = null;
    return this;
  }

  /** Discovers through {@code discovery}; the mesh takes ownership and closes it. */
  public MeshBuilder discovery(EndpointDiscovery discovery) {
    this.discovery = requireNonNull(discovery, "discovery");
    this.mode = DiscoveryMode.CUSTOM;
    this.modeChosen = true;
    return this;
  }

  /**
   * Takes routing, endpoints and resilience policy from Inboard control planes over xDS, and
   * selects {@link DiscoveryMode#XDS}. Several addresses are tried in the order given: the
   * first one reachable serves, and the others are fallbacks (default: those env
   * {@code INBOARD_CONTROL_PLANE} names, comma-separated, as Inboard's injector sets it;
   * else none, no xDS).
   *
   * @param addresses {@code host:port} of each control plane, such as {@code 127.0.0.1:15010}
   * @throws IllegalArgumentException for no address or one not in {@code host:port} form
   */
  public MeshBuilder controlPlane(String... addresses) {
    requireNonNull(addresses, "addresses");
    if (addresses.length == 0) {
      throw new IllegalArgumentException(
          "controlPlane: [] (expected: at least one host:port, such as 127.0.0.1:15010)");
    }
    for (String a : addresses) {
      if (a == null || !a.matches("[^:/\\s]+:\\d{1,5}")) {
        throw new IllegalArgumentException(
            "controlPlane: '" + a + "' (expected: host:port, such as 127.0.0.1:15010)");
      }
    }
    this.controlPlanes = List.of(addresses);
    this.mode = DiscoveryMode.XDS;
    this.modeChosen = true;
    this.discovery = null;
    return this;
  }

  /**
   * The workload's Kubernetes service account, announced to control planes (default: env
   * {@code SERVICE_ACCOUNT}, then {@code default}).
   */
  public MeshBuilder serviceAccount(String serviceAccount) {
    this.serviceAccount = requireNonNull(serviceAccount, "serviceAccount");
    return this;
  }

  /**
   * The addresses this workload serves on, first one preferred; a control plane registers the
   * workload's endpoints at them (default: env {@code INSTANCE_IP}, comma-separated allowed,
   * then this host's address).
   */
  public MeshBuilder instanceIps(String... ips) {
    this.instanceIps = List.of(requireNonNull(ips, "ips"));
    return this;
  }

  /**
   * Announces that this workload serves {@code serviceName} (a short name, in the workload's
   * namespace) on {@code ports}, so that a control plane in local mode registers it as an
   * endpoint (default: none, a pure client).
   *
   * @param ports port name to number, such as {@code Map.of("grpc", 9080)}
   * @throws IllegalArgumentException for an invalid name, no ports, or a port out of range
   */
  public MeshBuilder serves(String serviceName, Map<String, Integer> ports) {
    this.serves = new ServedService(serviceName, ports);
    return this;
  }

  /**
   * How long a call made before the control plane's first config arrives waits for it, before
   * failing with {@code UNAVAILABLE} naming the missing resource (default 10 s). A call's own
   * shorter deadline still applies.
   */
  public MeshBuilder initialConfigTimeout(Duration timeout) {
    this.initialConfigTimeout = requireNonNull(timeout, "timeout");
    return this;
  }

  /**
   * The topology zone this workload runs in (default: env {@code INBOARD_ZONE}, else
   * {@code ""}, meaning unknown). In xDS mode the HTTP client sends calls to endpoints in this
   * zone while any of them is healthy, and fails over to other zones when none is; the zone is
   * also announced in the node metadata ({@code INBOARD_ZONE}) so that auto-registration
   * places this workload's endpoints in it.
   */
  public MeshBuilder zone(String zone) {
    this.zone = requireNonNull(zone, "zone");
    return this;
  }

  /**
   * The system property that turns telemetry off for meshes built while it is {@code off}: no
   * {@code TelemetryProvider} is loaded, so the mesh has no metrics, spans or admin server, as
   * without {@code mesh-telemetry} on the class path. Read by each {@link #build()}; unset (the
   * default) or any other value leaves telemetry on. For the telemetry-off baseline of
   * {@code benchmarks/} and for applications that carry the module but do not want it.
   */
  static final String TELEMETRY_PROPERTY = "inboard.telemetry";

  /**
   * Builds the mesh and starts discovery. Telemetry starts when a provider is on the class path,
   * unless the system property {@code inboard.telemetry} is {@code off}.
   *
   * @throws IllegalStateException if the discovery mode's provider is not on the class path
   * @throws IllegalArgumentException for an invalid or missing setting, as
   *     {@code field: value (expected: ...)}
   */
  public Mesh build() {
    DiscoveryMode mode = this.mode;
    List<String> controlPlanes = this.controlPlanes;
    if (!modeChosen || mode == DiscoveryMode.XDS && controlPlanes.isEmpty()) {
      // an injected pod: the control plane the injector named, unless the application chose
      // another mode or named control planes itself
      List<String> fromEnv = WorkloadDefaults.controlPlanes(env);
      if (!fromEnv.isEmpty()) {
        mode = DiscoveryMode.XDS;
        controlPlanes = fromEnv;
      }
    }
    Map<String, String> allLabels = new LinkedHashMap<>(WorkloadDefaults.labels(env));
    allLabels.putAll(labels);
    String ns = namespace != null ? namespace : WorkloadDefaults.namespace(env);
    String name = workloadName != null ? workloadName
        : WorkloadDefaults.workloadName(allLabels, env);
    Settings settings = new Settings(name, ns, allLabels, clusterDomain, mode,
        serviceAccount != null ? serviceAccount : WorkloadDefaults.serviceAccount(env),
        instanceIps != null ? instanceIps : WorkloadDefaults.instanceIps(env),
        Optional.ofNullable(serves), mode == DiscoveryMode.XDS ? controlPlanes : List.of(),
        initialConfigTimeout, zone != null ? zone
            : Optional.ofNullable(env.apply("INBOARD_ZONE")).orElse("").trim(),
        IdentityDefaults.resolve(new IdentityDefaults.Given(mtls, caAddress, identityTokenFile,
            caRootCertFile, trustDomain, certificateLifetime, keyType, rootCertRefreshInterval),
            mode == DiscoveryMode.XDS ? controlPlanes : List.of(), env, Files::isReadable));
    EndpointDiscovery d = discovery != null ? discovery : loadProvider(settings);
    MeshInternals internals = new MeshInternals(name, d, new HeaderPropagation(propagateHeaders),
        adminPort, adminPortFixed, inboundGuards);
    Mesh mesh = new Mesh(settings, internals);
    // the first provider found wins; none is asked when the property turns telemetry off
    Iterable<TelemetryProvider> telemetry = "off".equals(System.getProperty(TELEMETRY_PROPERTY))
        ? List.of() : ServiceLoader.load(TelemetryProvider.class);
    for (TelemetryProvider p : telemetry) {
      try {
        internals.startTelemetry(p.start(mesh));
      } catch (RuntimeException e) {
        mesh.close();
        throw e;
      }
      break;
    }
    for (MeshStartHook hook : ServiceLoader.load(MeshStartHook.class)) {
      try {
        hook.started(mesh);
      } catch (RuntimeException e) {
        mesh.close();
        throw e;
      }
    }
    return mesh;
  }

  private static EndpointDiscovery loadProvider(Settings settings) {
    for (DiscoveryProvider p : ServiceLoader.load(DiscoveryProvider.class)) {
      if (p.mode() == settings.discoveryMode()) {
        return p.create(settings);
      }
    }
    if (settings.discoveryMode() == DiscoveryMode.XDS) {
      return new XdsModeDiscovery();
    }
    throw new IllegalStateException("discovery: " + settings.discoveryMode()
        + " (expected: a provider on the class path; for KUBERNETES add io.inboard:mesh-k8s-discovery,"
        + " or pass an EndpointDiscovery to Mesh.builder().discovery(...))");
  }
}
