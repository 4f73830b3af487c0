package io.inboard.mesh.controlplane;

import static java.util.Objects.requireNonNull;

import io.inboard.mesh.controlplane.internal.ControlPlaneEngine;
import io.inboard.mesh.controlplane.internal.jwks.JwksFetcher;
import io.inboard.mesh.controlplane.internal.parse.ResourceParser;
import io.inboard.mesh.controlplane.internal.telemetry.MeshConfigFile;
import io.inboard.mesh.controlplane.internal.telemetry.TelemetryMeshConfig;
import io.inboard.mesh.controlplane.internal.ca.CaServer;
import io.inboard.mesh.controlplane.internal.ca.CaSettings;
import io.inboard.mesh.controlplane.internal.graph.ServiceGraphService;
import io.inboard.mesh.controlplane.internal.inject.InjectionTemplate;
import io.inboard.mesh.controlplane.internal.inject.InjectionWebhook;
import io.inboard.mesh.security.internal.pki.KeyAlgorithm;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
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
 *
 * <p><b>Security policies.</b> PeerAuthentications shape each workload's inbound listener
 * ({@code virtualInbound}); AuthorizationPolicies and RequestAuthentications are validated,
 * compiled with the workloads' own compiler, and sent as written on that listener's metadata to
 * the workloads they apply to (Istio's scoping: the root namespace is mesh-wide, and there a
 * selector reaches matching workloads of every namespace). Workloads enforce them. The control
 * plane fetches each RequestAuthentication {@code jwksUri} itself, as istiod does, every
 * {@link Builder#jwksRefreshInterval} and sends the key set inline; a failed fetch keeps the last
 * good set and shows in {@link #diagnostics()}. A policy that only targets a Gateway or Service
 * (a waypoint) is stored with a warning and applied to no workload.
 *
 * <p><b>Telemetry.</b> Telemetry resources (telemetry.istio.io v1 and v1alpha1) are compiled
 * with the workloads' own compiler on apply (fields Inboard does not honour become warnings)
 * and sent as written on the same listener's metadata, in Istio's precedence: the root
 * namespace's one without selector, the workload namespace's one without selector, then the
 * first one that selects the workload ({@code selector.matchLabels}, or a {@code targetRefs}
 * Service it serves). The {@link Builder#meshConfig mesh config} names the tracing providers
 * they may choose and the default providers.
 *
 * <p><b>Certificate authority.</b> The control plane is the mesh's CA, as istiod is: it serves
 * Istio's {@code istio.v1.auth.IstioCertificateService/CreateCertificate} on the TLS
 * {@link Builder#securePort secure port} (never on the plaintext xDS port). A caller proves its
 * identity with gRPC metadata {@code authorization: Bearer <token>}: a Kubernetes
 * service-account token (audience {@code istio-ca}, checked by TokenReview) once a
 * {@link io.inboard.mesh.controlplane.kubernetes.KubernetesConfigSource} runs, otherwise a
 * local credential from {@link #issueLocalCredential}. The leaf carries only
 * {@code spiffe://<trust-domain>/ns/<ns>/sa/<sa>} of the proven identity, whatever the CSR asks
 * for; the answer is leaf, intermediates, root. The root is generated on first start (or plugged
 * in, as Istio's {@code cacerts}) and kept in the {@link Builder#stateDirectory state
 * directory}, or in Secret {@code istio-ca-secret} in Kubernetes mode; it is distributed as
 * {@link #rootCertificateFile()} and, in Kubernetes, as ConfigMap {@code istio-ca-root-cert}
 * in every namespace; {@link #rotateRoot} replaces it without a gap.
 *
 * <p><b>Service graph.</b> The admin port serves {@code GET /ui}, a page drawing the mesh as
 * Kiali does (workloads, requests per second, error share, p95 latency, mTLS, health; beside it
 * the configuration's warnings and each workload's ACK/NACK state), and its data as
 * {@code GET /api/v1/graph?duration=60s}. The traffic comes from the workloads' own
 * {@code /stats/prometheus} (announced as {@code INBOARD_ADMIN_ADDRESS}, scraped every
 * {@link Builder#graphScrapeInterval}), or from {@link Builder#prometheusUrl Prometheus}.
 *
 * <p><b>Injection webhook.</b> With its CA, the control plane serves the mutating admission
 * webhook of namespace-label injection ({@code kubectl label namespace default
 * istio-injection=enabled}): {@code POST /inject}, HTTPS, on the {@link Builder#injectionPort
 * injection port}, with a certificate its CA issues for {@code
 * inboard-control-plane.inboard-system.svc}. It adds no container: each container gets the env
 * a {@code Mesh} built with no arguments reads (control plane and CA addresses, the pod's name,
 * namespace, service account, IP and workload name), and the pod the labels file, the projected
 * token (audience {@code istio-ca}) and the root ConfigMap as volumes. In Kubernetes mode the
 * {@link io.inboard.mesh.controlplane.kubernetes.KubernetesConfigSource} keeps the webhook
 * configuration's {@code caBundle} equal to the CA's roots.
 */
public final class ControlPlane implements AutoCloseable {
  private final ControlPlaneEngine engine;
  private final String host;
  private final ServiceGraphService graph;
  private final InjectionWebhook webhook;

  private ControlPlane(Builder b) throws IOException {
    this.host = b.host;
    int adminPort = b.adminPort != null ? b.adminPort : b.xdsPort == 0 ? 0 : 15014;
    // 15012 beside the default xDS port, as istiod; with another xDS port (tests, several
    // control planes on one host) a free one, so that it never collides with a running mesh
    int securePort = b.securePort != null ? b.securePort : b.xdsPort == 15010 ? 15012 : 0;
    CaSettings ca = securePort < 0 ? null : new CaSettings(securePort, b.caHostNames,
        b.trustDomain, b.controlPlaneNamespace, b.caKeyType == CaKeyType.RSA_2048
            ? KeyAlgorithm.RSA_2048 : KeyAlgorithm.EC_P256, b.stateDirectory, b.cacertsDirectory,
        b.defaultCertificateLifetime, b.maxCertificateLifetime, Duration.ofHours(24),
        b.tokenAudiences);
    this.engine = new ControlPlaneEngine(new ControlPlaneEngine.Settings(b.host, b.xdsPort,
        adminPort, b.configDirectory, b.configPollInterval, b.registrationGracePeriod,
        b.autoRegistration, b.defaultNamespace, b.clusterDomain, b.rootNamespace, ca,
        b.jwksRefreshInterval, b.meshConfig == null ? TelemetryMeshConfig.DEFAULT
            : MeshConfigFile.read(b.meshConfig)));
    // 15017 beside the default xDS port, as istiod; else a free one, as the secure port
    int injectionPort = b.injectionPort != null ? b.injectionPort : b.xdsPort == 15010 ? 15017 : 0;
    try {
      this.webhook = injectionPort < 0 || ca == null ? null : InjectionWebhook.start(b.host,
          injectionPort, engine.ca().orElseThrow(),
          List.of(b.controlPlaneNamespace, "inboard-system"), b.caHostNames,
          InjectionTemplate.DEFAULT);
    } catch (IOException | RuntimeException e) {
      engine.close();
      throw e;
    }
    // the service graph lives on the admin server: without one there is nowhere to show it
    this.graph = engine.admin().map(admin -> {
      ServiceGraphService g = ServiceGraphService.start(new ServiceGraphService.Settings(
          b.prometheusUrl, b.graphScrapeInterval, Duration.ofSeconds(2)), engine.tracker(),
          b.defaultNamespace);
      admin.mount("/ui", g::page);
      admin.mount("/api/v1/graph", g::api);
      return g;
    }).orElse(null);
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

  /**
   * The TLS port of the CA (the bound one when the builder asked for 0).
   *
   * @throws IllegalStateException when the CA was disabled with {@code securePort(-1)}
   */
  public int securePort() {
    return ca().port();
  }

  /**
   * The HTTPS port of the injection webhook ({@code POST /inject}; the bound one when the
   * builder asked for 0).
   *
   * @throws IllegalStateException when the webhook is disabled ({@code injectionPort(-1)}, or no
   *     CA)
   */
  public int injectionPort() {
    return injectionWebhook().orElseThrow(() -> new IllegalStateException(
        "injectionPort: disabled (expected: injectionPort >= 0 and a CA)")).port();
  }

  /** The injection webhook, when it runs; for {@link InternalControlPlane} only. */
  Optional<InjectionWebhook> injectionWebhook() {
    return Optional.ofNullable(webhook);
  }

  /** {@code host:port} of the CA's TLS port, as workloads dial it. */
  public String secureAddress() {
    return host + ":" + securePort();
  }

  /** The SPIFFE trust domain of issued certificates. */
  public String trustDomain() {
    return ca().settings().trustDomain();
  }

  /**
   * The trust bundle: every root trusted now (two while {@link #rotateRoot} overlaps them).
   * Workloads verify peers and the CA's TLS port against it.
   */
  public List<X509Certificate> rootCertificates() {
    return ca().authority().trustBundle();
  }

  /**
   * {@code <state-dir>/root-cert.pem}: the trust bundle as PEM, rewritten whole on every change.
   * Workloads re-read it periodically.
   *
   * @throws IllegalStateException when no {@link Builder#stateDirectory} was given
   */
  public Path rootCertificateFile() {
    return ca().bundleFile().orElseThrow(() -> new IllegalStateException(
        "rootCertificateFile: no state directory (expected: Builder.stateDirectory(dir))"));
  }

  /**
   * Rotates the generated root without a gap: at once the bundle trusts the old and a new root
   * while the old still signs; after {@code overlap / 2} the new root signs; after
   * {@code overlap} the old root leaves the bundle. The new root is persisted at once. Give
   * workloads time to re-read the bundle and renew within the overlap (Istio's agents renew at
   * half a certificate's life).
   *
   * @return the new root
   * @throws IllegalStateException when the CA is plugged in ({@code cacerts}), or a rotation is
   *     still under way
   */
  public X509Certificate rotateRoot(Duration overlap) {
    return ca().authority().rotateRoot(overlap);
  }

  /**
   * A local-mode credential proving {@code namespace}/{@code serviceAccount} to the CA:
   * {@code inboard-local-v1.<base64url ns/sa>.<base64url HMAC-SHA256>}, under a key generated on
   * first start and kept in the state directory (mode 0600). It does not expire.
   *
   * <p><b>Trust model:</b> anyone who can read the state directory can mint any identity. Local
   * mode is for one user's machine; in a cluster, Kubernetes service-account tokens prove
   * identity instead (and these credentials are no longer accepted).
   *
   * @throws IllegalArgumentException when either is not a Kubernetes name
   */
  public String issueLocalCredential(String namespace, String serviceAccount) {
    return ca().issueLocalCredential(requireNonNull(namespace, "namespace"),
        requireNonNull(serviceAccount, "serviceAccount"));
  }

  private CaServer ca() {
    return engine.ca().orElseThrow(() -> new IllegalStateException(
        "securePort: disabled (expected: securePort >= 0 for the CA)"));
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
   * resources, errors of configuration-directory files whose current content is rejected, and
   * a warning on each RequestAuthentication rule whose {@code jwksUri} cannot be fetched now.
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
    if (graph != null) {
      graph.close();
    }
    if (webhook != null) {
      webhook.close();
    }
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
    private Integer securePort;
    private Integer injectionPort;
    private String trustDomain = DEFAULT_CLUSTER_DOMAIN;
    private String controlPlaneNamespace = "istio-system";
    private CaKeyType caKeyType = CaKeyType.EC_P256;
    private Path stateDirectory;
    private Path cacertsDirectory;
    private List<String> caHostNames = List.of();
    private List<String> tokenAudiences = List.of("istio-ca");
    private Duration defaultCertificateLifetime = Duration.ofHours(24);
    private Duration maxCertificateLifetime = Duration.ofDays(90);
    private Duration jwksRefreshInterval = JwksFetcher.DEFAULT_REFRESH_INTERVAL;
    private URI prometheusUrl;
    private Duration graphScrapeInterval = Duration.ofSeconds(5);
    private Path meshConfig;

    private Builder() {}

    /**
     * A Prometheus server (such as {@code http://prometheus.istio-system:9090}) the service
     * graph ({@code GET /ui}, {@code GET /api/v1/graph} on the admin port) asks Kiali's queries
     * through {@code /api/v1/query} (default: none; the control plane then scrapes each
     * connected workload's {@code /stats/prometheus} itself, at the address it announces as
     * {@code INBOARD_ADMIN_ADDRESS}).
     */
    public Builder prometheusUrl(URI url) {
      requireNonNull(url, "url");
      if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())
          || url.getHost() == null) {
        throw new IllegalArgumentException("prometheusUrl: '" + url
            + "' (expected: an http or https URL with a host)");
      }
      this.prometheusUrl = url;
      return this;
    }

    /**
     * How often the service graph scrapes each workload's {@code /stats/prometheus} when no
     * {@link #prometheusUrl} is given (default 5 s). The graph also scrapes on demand when asked
     * and the last round is over a second old; each scrape times out after 2 s. Scrapes run on
     * their own thread, never on the ADS path.
     */
    public Builder graphScrapeInterval(Duration interval) {
      this.graphScrapeInterval = checkPositive("graphScrapeInterval", interval);
      return this;
    }

    /**
     * Istio's MeshConfig YAML file (default: none), read at start for telemetry: {@code
     * extensionProviders} of kind {@code zipkin} ({@code service}, {@code port}, {@code path}
     * defaulting to {@code /api/v2/spans}) and {@code opentelemetry} ({@code service}, {@code
     * port}; OTLP/gRPC, or OTLP/HTTP to {@code http.path} when {@code http} is set), which a
     * Telemetry's {@code tracing.providers} name; {@code defaultProviders.tracing} and {@code
     * .accessLogging} (such as {@code envoy}); and {@code enableTracing} (default true). Other
     * fields are logged as not read. A field read with a wrong value fails {@link #start()}
     * with an {@link IllegalArgumentException} naming the file, the field, the value and what
     * was expected.
     */
    public Builder meshConfig(Path file) {
      this.meshConfig = requireNonNull(file, "file");
      return this;
    }

    /**
     * How often the control plane fetches each RequestAuthentication {@code jwksUri} again
     * (default 20 minutes, as istiod). The control plane fetches key sets and sends them to
     * workloads inline, so workloads never reach an identity provider; a set that changed is
     * pushed at once. A failed or invalid fetch keeps the last good set and is reported by
     * {@link ControlPlane#diagnostics()}.
     */
    public Builder jwksRefreshInterval(Duration interval) {
      this.jwksRefreshInterval = checkPositive("jwksRefreshInterval", interval);
      return this;
    }

    /**
     * The CA's TLS port (default 15012, as istiod's, when {@link #xdsPort} is its default 15010;
     * with any other xDS port, a free port, so that several control planes share a host). 0
     * picks a free port; -1 disables the CA.
     */
    public Builder securePort(int port) {
      this.securePort = checkPort("securePort", port, -1);
      return this;
    }

    /**
     * The injection webhook's HTTPS port (default 15017, as istiod's, when {@link #xdsPort} is
     * its default 15010; with any other xDS port, a free port). 0 picks a free port; -1
     * disables the webhook, as does a disabled CA ({@code securePort(-1)}), whose certificate
     * it serves: asking for a port then fails {@link #start()}.
     */
    public Builder injectionPort(int port) {
      this.injectionPort = checkPort("injectionPort", port, -1);
      return this;
    }

    /** The SPIFFE trust domain of issued certificates (default {@code cluster.local}). */
    public Builder trustDomain(String trustDomain) {
      requireNonNull(trustDomain, "trustDomain");
      if (!trustDomain.matches("[a-z0-9._-]+")) {
        throw new IllegalArgumentException("trustDomain: '" + trustDomain
            + "' (expected: lower-case letters, digits, '.', '-', '_')");
      }
      this.trustDomain = trustDomain;
      return this;
    }

    /**
     * The namespace the control plane runs in (default {@code istio-system}): its TLS
     * certificate names {@code istiod.<namespace>.svc}, and in Kubernetes mode the CA's Secrets
     * ({@code istio-ca-secret}, {@code cacerts}) are read and written there.
     */
    public Builder controlPlaneNamespace(String namespace) {
      this.controlPlaneNamespace = requireNonNull(namespace, "namespace");
      return this;
    }

    /** The key type of a generated root (default {@link CaKeyType#EC_P256}). */
    public Builder caKeyType(CaKeyType type) {
      this.caKeyType = requireNonNull(type, "type");
      return this;
    }

    /**
     * Where the CA keeps its state (default: none, everything in memory, no bundle file): the
     * generated root ({@code ca-cert.pem}, {@code ca-key.pem}, mode 0600), the local-credential
     * key ({@code local-credential.key}, 0600) and the trust bundle ({@code root-cert.pem}).
     * Made if missing; the same directory on the next start reuses the root and credentials.
     */
    public Builder stateDirectory(Path dir) {
      this.stateDirectory = requireNonNull(dir, "dir");
      return this;
    }

    /**
     * A CA plugged in as Istio's {@code cacerts} (default: none, a root is generated): files
     * {@code ca-cert.pem}, {@code ca-key.pem}, {@code root-cert.pem} and
     * {@code cert-chain.pem}. Leaves are signed by {@code ca-cert.pem} and the chain carries it.
     * Checked at start: the key must match and the chain verify to the root.
     */
    public Builder cacertsDirectory(Path dir) {
      this.cacertsDirectory = requireNonNull(dir, "dir");
      return this;
    }

    /**
     * More DNS names for the TLS port's certificate; it always has {@code istiod.<ns>.svc},
     * {@code inboard-control-plane.<ns>.svc} (the name injected pods' {@code CA_ADDR} dials),
     * {@code localhost}, the {@link #host} when it is a name, and 127.0.0.1 and ::1.
     */
    public Builder caHostNames(String... names) {
      this.caHostNames = List.of(requireNonNull(names, "names"));
      return this;
    }

    /**
     * The audiences a TokenReview asks for, in Kubernetes mode (default {@code istio-ca}, as
     * the token Istio's injector projects).
     */
    public Builder tokenAudiences(String... audiences) {
      this.tokenAudiences = List.of(requireNonNull(audiences, "audiences"));
      return this;
    }

    /**
     * The lifetime of a certificate whose request asks for none ({@code validity_duration} 0 or
     * less): default 24 h, as Istio's {@code DEFAULT_WORKLOAD_CERT_TTL}.
     */
    public Builder defaultCertificateLifetime(Duration lifetime) {
      this.defaultCertificateLifetime = checkPositive("defaultCertificateLifetime", lifetime);
      return this;
    }

    /**
     * The longest lifetime a request may ask for (default 90 days, as Istio's
     * {@code MAX_WORKLOAD_CERT_TTL}); longer is refused with INVALID_ARGUMENT.
     */
    public Builder maxCertificateLifetime(Duration lifetime) {
      this.maxCertificateLifetime = checkPositive("maxCertificateLifetime", lifetime);
      return this;
    }

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
      if (securePort != null && securePort < 0 && injectionPort != null && injectionPort >= 0) {
        throw new IllegalArgumentException("injectionPort: " + injectionPort + " (expected: -1"
            + " when the CA is disabled with securePort -1: the webhook's certificate comes from"
            + " the CA)");
      }
      if (defaultCertificateLifetime.compareTo(maxCertificateLifetime) > 0) {
        throw new IllegalArgumentException("defaultCertificateLifetime: "
            + defaultCertificateLifetime + " (expected: <= maxCertificateLifetime "
            + maxCertificateLifetime + ")");
      }
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
