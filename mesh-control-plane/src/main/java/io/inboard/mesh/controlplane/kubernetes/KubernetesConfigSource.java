package io.inboard.mesh.controlplane.kubernetes;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.inboard.mesh.api.discovery.EndpointDiscovery;
import io.inboard.mesh.controlplane.ControlPlane;
import io.inboard.mesh.controlplane.Diagnostics;
import io.inboard.mesh.controlplane.InternalControlPlane;
import io.inboard.mesh.controlplane.ResourceId;
import io.inboard.mesh.controlplane.ServiceEndpoint;
import io.inboard.mesh.controlplane.ServicePort;
import io.inboard.mesh.controlplane.internal.ca.KubernetesCa;
import io.inboard.mesh.controlplane.internal.inject.WebhookCaBundle;
import io.inboard.mesh.controlplane.internal.source.EndpointSync;
import io.inboard.mesh.controlplane.internal.source.IstioSync;
import io.inboard.mesh.controlplane.internal.source.SecretSync;
import io.inboard.mesh.k8s.KubernetesDiscovery;
import io.inboard.mesh.k8s.internal.catalog.KubernetesCatalog;
import io.inboard.mesh.k8s.internal.catalog.NamespaceScope;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * Feeds a {@link ControlPlane} from the Kubernetes API:
 *
 * <ul>
 *   <li><b>Endpoints.</b> Every port of every Service in the watched namespaces is
 *       {@linkplain io.inboard.mesh.controlplane.EndpointUpdate#declare declared} as
 *       {@code <service>.<namespace>.svc.<domain>:<port>}, so that it is served even with no
 *       endpoints (a Deployment scaled to zero: calls fail fast with UNAVAILABLE), and forgotten
 *       when the Service is deleted. Its routable endpoints (ready ones, or
 *       serving-while-terminating ones when none is ready) are registered on the service port
 *       with their resolved target port, their pods' labels and service account, and
 *       deregistered when they go. Each catalog change reaches the control plane as one
 *       {@linkplain ControlPlane#update update}.
 *   <li><b>Istio resources.</b> VirtualService, DestinationRule, ServiceEntry, WorkloadEntry,
 *       PeerAuthentication, AuthorizationPolicy, RequestAuthentication and Telemetry custom
 *       resources are
 *       validated one by one, as {@link ControlPlane#apply} would, from the documents the API
 *       returns, and stored when created or changed and removed when deleted; each snapshot of
 *       the cluster's resources (the initial sync of all of them included) updates clients
 *       once. A resource the control plane rejects is logged as a WARNING naming it and the error, and listed by {@link #rejected()};
 *       its last good version stays served and the other resources are unaffected.
 *   <li><b>Secrets</b> holding certificates (keys {@code tls.crt}, {@code tls.key}, {@code
 *       ca.crt}, {@code cert}, {@code key} or {@code cacert}) in the watched namespaces, for
 *       DestinationRule {@code tls.credentialName}: stored (values never shown) and followed,
 *       so that a Secret created late or rotated reaches clients as a cluster update.
 *   <li><b>The CA</b> (unless {@link Builder#certificateAuthority} is off): the control plane's
 *       CA takes its root from Secret {@code cacerts} or {@code istio-ca-secret} in its
 *       namespace, proves callers by TokenReview, and publishes the trust bundle as ConfigMap
 *       {@code istio-ca-root-cert} in every namespace, as istiod does. While the control plane
 *       serves the injection webhook, the {@code caBundle} of MutatingWebhookConfiguration
 *       {@code inboard-sidecar-injector} is kept equal to the CA's roots (needs {@code get,
 *       list, watch, update} on {@code mutatingwebhookconfigurations}).
 * </ul>
 *
 * <p>Changes are collected for the {@link Builder#debounce debounce} window, then synced on
 * one thread. Nothing blocks on the API: {@link Builder#start()} returns at once and the
 * control plane fills in once the informers have synced. While the API is unreachable the last
 * synced state stays served (see {@link KubernetesDiscovery} for how outages are reported).
 *
 * <pre>{@code
 * try (ControlPlane cp = ControlPlane.builder().start();
 *     KubernetesConfigSource k8s = KubernetesConfigSource.start(client, cp)) {
 *   ...
 * }
 * }</pre>
 */
public final class KubernetesConfigSource implements AutoCloseable {

  private final KubernetesCatalog discovery;
  private final IstioSync istio;
  private final EndpointSync endpoints;
  private final EndpointDiscovery.Subscription services;
  private final EndpointDiscovery.Subscription istioResources;
  private final SecretSync secrets;
  private final KubernetesCa ca;
  private final WebhookCaBundle webhookCaBundle;

  private KubernetesConfigSource(Builder b) {
    var engine = InternalControlPlane.engine(b.controlPlane);
    // the CA first: a bad cacerts Secret fails the start before anything is watched
    ca = b.certificateAuthority
        ? engine.ca().map(server -> KubernetesCa.attach(server, b.client)).orElse(null) : null;
    webhookCaBundle = ca == null ? null : InternalControlPlane.injectionWebhook(b.controlPlane)
        .map(w -> WebhookCaBundle.start(b.client, engine.ca().orElseThrow().authority(),
            WebhookCaBundle.CONFIGURATION, Duration.ofMinutes(1)))
        .orElse(null);
    discovery = KubernetesCatalog.start(b.client, b.debounce);
    istio = new IstioSync(engine);
    // Secrets before the rules that name them, so that a credentialName usually resolves at once
    secrets = new SecretSync(b.client, b.namespaces, engine, b.debounce);
    // Istio resources first, so that routes usually exist by the time their endpoints do.
    istioResources = discovery.watchIstioConfig(b.namespaces, istio);
    endpoints = new EndpointSync(engine, b.clusterDomain);
    services = discovery.watchServices(b.namespaces, endpoints);
  }

  /**
   * Starts feeding {@code controlPlane} from every namespace, with the defaults of
   * {@link #builder}.
   */
  public static KubernetesConfigSource start(KubernetesClient client, ControlPlane controlPlane) {
    return builder(client, controlPlane).start();
  }

  /**
   * Starts configuring a source.
   *
   * @param client the client to watch through; the caller keeps ownership and closes it after
   *     this source. It needs {@code list} and {@code watch} on services, endpointslices, pods,
   *     secrets and the Istio resources, and {@code get} on customresourcedefinitions; for the
   *     CA (see {@link Builder#certificateAuthority}) also {@code list, watch} on namespaces,
   *     {@code get, create, update} on configmaps and on secrets in the control plane's
   *     namespace, and {@code create} on tokenreviews.
   * @param controlPlane the control plane to feed
   */
  public static Builder builder(KubernetesClient client, ControlPlane controlPlane) {
    return new Builder(requireNonNull(client, "client"),
        requireNonNull(controlPlane, "controlPlane"));
  }

  /**
   * The Istio resources whose current version in the cluster the control plane rejected, with
   * its errors. A resource leaves this map when a valid version of it is applied, or when it is
   * deleted.
   */
  public Map<ResourceId, Diagnostics> rejected() {
    return istio.rejected();
  }

  /**
   * The endpoints this source has registered with the control plane, as of its last sync: what
   * the cluster's Services resolve to. Empty until the informers have synced.
   */
  public Set<ServiceEndpoint> registeredEndpoints() {
    return endpoints.registered();
  }

  /**
   * The service ports this source has declared, as of its last sync: every port of every
   * Service in the watched namespaces, with endpoints or not. Empty until the informers have
   * synced.
   */
  public Set<ServicePort> declaredServicePorts() {
    return endpoints.declared();
  }

  /**
   * Stops watching. What was synced stays in the control plane and served; the client is not
   * closed.
   */
  @Override
  public void close() {
    services.close();
    istioResources.close();
    secrets.close();
    discovery.close();
    if (webhookCaBundle != null) {
      webhookCaBundle.close();
    }
    if (ca != null) {
      ca.close();
    }
  }

  /** Configures a {@link KubernetesConfigSource}. */
  public static final class Builder {
    private final KubernetesClient client;
    private final ControlPlane controlPlane;
    private NamespaceScope namespaces = NamespaceScope.all();
    private String clusterDomain = ControlPlane.DEFAULT_CLUSTER_DOMAIN;
    private Duration debounce = Duration.ofMillis(100);
    private boolean certificateAuthority = true;

    private Builder(KubernetesClient client, ControlPlane controlPlane) {
      this.client = client;
      this.controlPlane = controlPlane;
    }

    /**
     * Reads only these namespaces (default: all, which needs cluster-wide list and watch).
     *
     * @throws IllegalArgumentException when none is given, or one is not a namespace name
     */
    public Builder namespaces(String... namespaces) {
      this.namespaces = NamespaceScope.of(requireNonNull(namespaces, "namespaces"));
      return this;
    }

    /**
     * The cluster's DNS domain, used in the registered host names (default
     * {@code cluster.local}); keep it equal to the control plane's.
     */
    public Builder clusterDomain(String clusterDomain) {
      requireNonNull(clusterDomain, "clusterDomain");
      if (clusterDomain.isBlank()) {
        throw new IllegalArgumentException("clusterDomain: '' (expected: a DNS domain such as"
            + " cluster.local)");
      }
      this.clusterDomain = clusterDomain;
      return this;
    }

    /**
     * How long changes are collected before they are synced (default 100 ms), so that a burst
     * (a rollout) reaches the control plane as few updates. 0 to 1 minute.
     */
    public Builder debounce(Duration debounce) {
      this.debounce = requireNonNull(debounce, "debounce");
      return this;
    }

    /**
     * Whether the control plane's CA runs in Kubernetes mode (default true, when it has a CA):
     * its root comes from Secret {@code cacerts} or {@code istio-ca-secret} in the control
     * plane's namespace (generated and stored there on first start), callers are proven by
     * TokenReview (audience {@code istio-ca}), and the trust bundle is written as ConfigMap
     * {@code istio-ca-root-cert} into every namespace. This needs {@code get, create, update} on
     * secrets and configmaps, {@code list, watch} on namespaces and {@code create} on
     * tokenreviews. Off: the CA keeps its local-mode root and credentials.
     */
    public Builder certificateAuthority(boolean enabled) {
      this.certificateAuthority = enabled;
      return this;
    }

    /**
     * Starts the watches and returns at once; the control plane fills in as they sync. The CA
     * (see {@link #certificateAuthority}) reads its Secret before this returns.
     *
     * @throws IllegalArgumentException when a CA Secret is invalid, naming it and the problem
     */
    public KubernetesConfigSource start() {
      return new KubernetesConfigSource(this);
    }
  }
}
