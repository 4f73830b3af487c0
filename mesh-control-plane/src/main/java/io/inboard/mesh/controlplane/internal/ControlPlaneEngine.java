package io.inboard.mesh.controlplane.internal;

import static java.util.Objects.requireNonNull;

import io.inboard.mesh.controlplane.Deletion;
import io.inboard.mesh.controlplane.Diagnostic;
import io.inboard.mesh.controlplane.Diagnostics;
import io.inboard.mesh.controlplane.EndpointUpdate;
import io.inboard.mesh.controlplane.ResourceId;
import io.inboard.mesh.controlplane.ServiceEndpoint;
import io.inboard.mesh.controlplane.ServicePort;
import io.inboard.mesh.controlplane.StoredResource;
import io.inboard.mesh.controlplane.WorkloadStatus;
import io.inboard.mesh.controlplane.internal.admin.AdminApiServer;
import io.inboard.mesh.controlplane.internal.ads.AdsServer;
import io.inboard.mesh.controlplane.internal.ads.Debounce;
import io.inboard.mesh.controlplane.internal.ads.PublishScheduler;
import io.inboard.mesh.controlplane.internal.ads.WorkloadTracker;
import io.inboard.mesh.controlplane.internal.ca.CaServer;
import io.inboard.mesh.controlplane.internal.ca.CaSettings;
import io.inboard.mesh.controlplane.internal.jwks.JwksFetcher;
import io.inboard.mesh.controlplane.internal.jwks.JwksReferences;
import io.inboard.mesh.controlplane.internal.model.MeshConfig;
import io.inboard.mesh.controlplane.internal.model.ParsedResource;
import io.inboard.mesh.controlplane.internal.parse.ResourceIds;
import io.inboard.mesh.controlplane.internal.parse.ResourceParser;
import io.inboard.mesh.controlplane.internal.source.AutoRegistration;
import io.inboard.mesh.controlplane.internal.source.ConfigDirectory;
import io.inboard.mesh.controlplane.internal.store.ConfigStore;
import io.inboard.mesh.controlplane.internal.telemetry.TelemetryMeshConfig;
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
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running control plane behind the public {@code ControlPlane} facade: it wires the stages
 * (sources → {@link ResourceParser} → {@link ConfigStore} → {@link XdsTranslator} →
 * {@link AdsServer}) and is what sources and the admin API talk to, so that no internal class
 * depends on the public facade. Every change of the store is followed by a publication, and so
 * is every change of a key set fetched from a RequestAuthentication {@code jwksUri} ({@link
 * JwksFetcher}); changes are {@link Debounce}d (100 ms quiet time, 1 s at most, by default),
 * so that a burst of them is translated and pushed once. The first publication, at start, is
 * immediate, and so is a waiting one when a client opens a stream or subscribes to more: it
 * gets all that was applied before it asked.
 */
public final class ControlPlaneEngine implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ControlPlaneEngine.class);

  /**
   * What the engine is started with; see {@code ControlPlane.Builder} for each default.
   *
   * @param adminPort the admin API port; 0 picks a free one, -1 disables it
   * @param configDirectory the local-mode directory, or null for none
   * @param rootNamespace the namespace of mesh-wide policies
   * @param ca the certificate authority on the secure port, or null for none
   * @param jwksRefreshInterval how often each RequestAuthentication {@code jwksUri} is fetched
   *     again
   * @param telemetry the mesh config's tracing providers and default providers
   */
  public record Settings(String host, int xdsPort, int adminPort, Path configDirectory,
      Duration configPollInterval, Duration registrationGracePeriod, boolean autoRegistration,
      String defaultNamespace, String clusterDomain, String rootNamespace, CaSettings ca,
      Duration jwksRefreshInterval, TelemetryMeshConfig telemetry) {

    /** Settings without a mesh config. */
    public Settings(String host, int xdsPort, int adminPort, Path configDirectory,
        Duration configPollInterval, Duration registrationGracePeriod, boolean autoRegistration,
        String defaultNamespace, String clusterDomain, String rootNamespace, CaSettings ca,
        Duration jwksRefreshInterval) {
      this(host, xdsPort, adminPort, configDirectory, configPollInterval,
          registrationGracePeriod, autoRegistration, defaultNamespace, clusterDomain,
          rootNamespace, ca, jwksRefreshInterval, TelemetryMeshConfig.DEFAULT);
    }
  }

  private final ResourceParser parser;
  private final String defaultNamespace;
  private final String clusterDomain;
  private final String rootNamespace;
  private final XdsTranslator translator;
  private final ConfigStore store = new ConfigStore();
  private final WorkloadTracker tracker;
  private final AdsServer ads;
  private final AutoRegistration autoRegistration;
  private final ConfigDirectory directory;
  private final AdminApiServer admin;
  private final CaServer ca;
  private final JwksFetcher jwks;
  private volatile boolean closed;
  private final AtomicLong publications = new AtomicLong();
  private final PublishScheduler publisher;

  /** The admin HTTP API, unless disabled with admin port -1. */
  public Optional<AdminApiServer> admin() {
    return Optional.ofNullable(admin);
  }

  /** Who is connected over ADS, with their node metadata and ACK/NACK state. */
  public WorkloadTracker tracker() {
    return tracker;
  }

  /** Binds the ports, loads the config directory and starts serving. */
  public ControlPlaneEngine(Settings s) throws IOException {
    this.parser = new ResourceParser(s.defaultNamespace(), s.clusterDomain(),
        s.rootNamespace(), s.telemetry().tracingProviders());
    s.telemetry().warnings().forEach(w -> log.warn("mesh config: {}", w));
    this.defaultNamespace = s.defaultNamespace();
    this.clusterDomain = s.clusterDomain();
    this.rootNamespace = s.rootNamespace();
    this.translator = new XdsTranslator(s.rootNamespace(), s.defaultNamespace(),
        s.clusterDomain(), s.ca() == null ? s.clusterDomain() : s.ca().trustDomain(),
        s.telemetry());
    this.tracker = new WorkloadTracker(s.defaultNamespace(), s.clusterDomain(),
        Clock.systemUTC());
    // the CA first: it is the part most likely to refuse its input (cacerts, state directory)
    this.ca = s.ca() == null ? null : new CaServer(s.host(), s.ca());
    try {
      this.ads = new AdsServer(s.host(), s.xdsPort(), tracker);
    } catch (IOException | RuntimeException e) {
      if (ca != null) {
        ca.close();
      }
      throw e;
    }
    // before anything that changes the config
    this.publisher = new PublishScheduler(Debounce.fromSystemProperties(), this::publishNow);
    // a client that connects or subscribes to more gets what was applied before, even if that
    // waits out the debounce
    ads.onNewSubscription(publisher::flush);
    // before the first publish, which tells it the URIs to fetch
    this.jwks = new JwksFetcher(s.jwksRefreshInterval(), this::jwksChanged);
    this.autoRegistration = s.autoRegistration()
        ? new AutoRegistration(tracker, this::replaceEndpoints, s.registrationGracePeriod())
        : null;
    this.directory = s.configDirectory() == null ? null
        : new ConfigDirectory(s.configDirectory(), parser, this::replaceFileResources);
    if (directory != null) {
      directory.scan();
      directory.watch(s.configPollInterval());
    }
    publishNow();
    publications.incrementAndGet();
    this.admin = s.adminPort() < 0 ? null
        : AdminApiServer.start(s.host(), s.adminPort(), this, tracker, ads::serving);
  }

  /** The parser every source reads resources with. */
  public ResourceParser parser() {
    return parser;
  }

  /** The ADS server, for inspection of what each group is served. */
  public AdsServer ads() {
    return ads;
  }

  /** The bound ADS port. */
  public int xdsPort() {
    return ads.port();
  }

  /** The bound admin API port, or empty when the admin API is disabled. */
  public Optional<Integer> adminPort() {
    return admin == null ? Optional.empty() : Optional.of(admin.port());
  }

  /** The certificate authority on the secure port, or empty when it is disabled. */
  public Optional<CaServer> ca() {
    return Optional.ofNullable(ca);
  }

  /** The namespace of resources and workloads that name none. */
  public String defaultNamespace() {
    return defaultNamespace;
  }

  /** The DNS domain of service hosts, as in {@code reviews.default.svc.<domain>}. */
  public String clusterDomain() {
    return clusterDomain;
  }

  /** The namespace of mesh-wide policies, such as a PeerAuthentication without selector. */
  public String rootNamespace() {
    return rootNamespace;
  }

  /** Parses {@code yaml} and, when it has no error, stores and publishes it. */
  public synchronized Diagnostics apply(String yaml) {
    ResourceParser.Result result = parser.parse("input", requireNonNull(yaml, "yaml"));
    if (!result.hasErrors()) {
      store.putAll(result);
      publish();
    }
    return new Diagnostics(store.withReferences(result));
  }

  /** Parses {@code yaml} and checks it against the stored resources; changes nothing. */
  public synchronized Diagnostics analyze(String yaml) {
    return new Diagnostics(store.withReferences(parser.parse("input",
        requireNonNull(yaml, "yaml"))));
  }

  /** Deletes the resources {@code yaml} names, all or nothing. */
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
   * Removes {@code remove}, then stores every resource of {@code add}, and publishes once (not
   * at all when nothing was removed or added). The results must hold no errors.
   */
  public synchronized void replaceResources(Collection<ResourceId> remove,
      List<ResourceParser.Result> add) {
    boolean changed = store.removeAll(remove);
    for (ResourceParser.Result r : add) {
      if (r.hasErrors()) {
        throw new IllegalArgumentException("add: a result with errors (expected: none)");
      }
      store.putAll(r);
      changed |= !r.resources().isEmpty();
    }
    if (changed) {
      publish();
    }
  }

  private void replaceFileResources(List<ResourceId> remove, ResourceParser.Result add) {
    replaceResources(remove, List.of(add));
  }

  /** The findings of {@code parsed} with its references checked against the store. */
  public synchronized Diagnostics findings(ResourceParser.Result parsed) {
    return new Diagnostics(store.withReferences(parsed));
  }

  /** The stored resources matching the filters (empty matches any). */
  public synchronized List<StoredResource> resources(String kind, String namespace,
      String name) {
    List<StoredResource> out = new ArrayList<>();
    for (ParsedResource r : store.resources()) {
      ResourceId id = r.id();
      if ((kind.isEmpty() || id.kind().equalsIgnoreCase(kind))
          && (namespace.isEmpty() || id.namespace().equals(namespace))
          && (name.isEmpty() || id.name().equals(name))) {
        @SuppressWarnings("unchecked")
        Map<String, Object> doc = store.document(id) instanceof Map<?, ?> m
            ? (Map<String, Object>) m : Map.of();
        List<Diagnostic> diagnostics = new ArrayList<>(r.diagnostics());
        JwksReferences.findings(List.of(r), jwks).forEach(diagnostics::add);
        out.add(new StoredResource(id, doc, diagnostics));
      }
    }
    return out;
  }

  /** Applies a batch of endpoint changes and publishes once, if anything changed. */
  public synchronized void update(EndpointUpdate update) {
    if (store.apply(requireNonNull(update, "update"))) {
      publish();
    }
  }

  /** The known service ports, ordered by host and port. */
  public synchronized List<ServicePort> services() {
    return store.services();
  }

  /** The findings of the stored resources and of rejected config-directory files. */
  public Diagnostics diagnostics() {
    // the directory's errors are read outside this lock: the directory calls in under its own
    List<Diagnostic> all = new ArrayList<>(directory == null ? List.of() : directory.errors());
    synchronized (this) {
      all.addAll(store.diagnostics());
      // a jwksUri that cannot be fetched is a problem of the resource naming it, though it
      // was valid when applied
      all.addAll(JwksReferences.findings(store.resources(), jwks));
    }
    return new Diagnostics(all);
  }

  /** The tracked workloads. */
  public List<WorkloadStatus> workloads() {
    return tracker.workloads();
  }

  /** The workload {@code key} names. */
  public Optional<WorkloadStatus> workload(String key) {
    return tracker.find(requireNonNull(key, "key")).flatMap(tracker::status);
  }

  /**
   * How many snapshots have been published since start (the first, empty one included), a
   * publication waiting out its debounce included.
   */
  public long publications() {
    return publications.get();
  }

  @Override
  public void close() {
    closed = true;
    if (publisher != null) {
      publisher.close();
    }
    jwks.close();
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
    if (ca != null) {
      ca.close();
    }
  }

  private void replaceEndpoints(List<ServiceEndpoint> remove, List<ServiceEndpoint> add) {
    update(EndpointUpdate.builder().deregister(remove).register(add).build());
  }

  /** A fetched key set changed: workloads get it inline in a new snapshot. */
  private synchronized void jwksChanged() {
    if (!closed) {
      publish();
    }
  }

  /** Publishes now or after the debounce; changes that wait are published together. */
  private void publish() {
    if (publisher.changed()) {
      publications.incrementAndGet();
    }
  }

  private synchronized void publishNow() {
    if (closed) {
      return;
    }
    // each label set of the connected workloads gets its own routes (VirtualService
    // sourceLabels), and each namespace and label set its own inbound listener
    // (PeerAuthentication, AuthorizationPolicy, RequestAuthentication); the translation is
    // immutable, so later-connecting groups can use it
    MeshConfig snapshot = store.snapshot();
    jwks.track(JwksReferences.uris(snapshot.resources()));
    XdsTranslator.Translation translation = translator.prepare(snapshot, jwks::keys);
    String version = ads.publish(g -> translation.forWorkload(g.namespace(), g.labels()));
    log.debug("serving config publication {}", version);
  }
}
