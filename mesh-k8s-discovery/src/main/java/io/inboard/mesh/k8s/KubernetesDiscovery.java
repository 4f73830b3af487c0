package io.inboard.mesh.k8s;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.inboard.mesh.api.ServiceName;
import io.inboard.mesh.api.discovery.EndpointDiscovery;
import io.inboard.mesh.api.discovery.EndpointListener;
import io.inboard.mesh.k8s.internal.SharedInformerDiscovery;
import java.time.Duration;

/**
 * Endpoints from the Kubernetes API: Services, {@code discovery.k8s.io/v1} EndpointSlices and
 * Pods, watched with fabric8 shared informers and kept in memory.
 *
 * <ul>
 *   <li><b>Sharing.</b> One informer per namespace and resource type, shared by every
 *       subscription of this discovery, started on the first subscription in that namespace and
 *       stopped by {@link #close()}. The client needs {@code list} and {@code watch} on services,
 *       pods and endpointslices in those namespaces, and optionally {@code get} on namespaces.
 *   <li><b>Endpoints.</b> The requested port (by number or name; neither means the Service's
 *       only port) is resolved against the Service, then to the EndpointSlice port of the same
 *       name, whose number becomes {@code Endpoint.port}. Conditions follow the API: a missing
 *       {@code ready} counts as ready, a missing {@code serving} as {@code ready}, a missing
 *       {@code terminating} as false. Pod labels come from the Pod named by the endpoint's
 *       {@code targetRef}. A Service without routable endpoints is delivered as such, not as an
 *       error.
 *   <li><b>Errors.</b> After the informers have synced, a missing Service is reported as
 *       {@code SERVICE_NOT_FOUND}, or {@code NAMESPACE_NOT_FOUND} when one GET of the namespace
 *       says it does not exist (if that GET is forbidden, {@code SERVICE_NOT_FOUND}); an unknown
 *       port as {@code PORT_NOT_FOUND}, listing the Service's ports.
 *   <li><b>Outages.</b> When the API server cannot be reached, listeners keep the last endpoints
 *       they were given (nothing is cleared). A WARNING naming the resource type and namespace
 *       is logged for each failed list, and within about 1 s of a watch dropping (an INFO when
 *       it is back). The informers retry forever with exponential backoff: the client's
 *       {@code watchReconnectInterval} (fabric8 default 1 s), doubling on each failure up to
 *       32 times that (32 s). After reconnecting they relist, and listeners get whatever
 *       changed meanwhile.
 *   <li><b>Threads.</b> Listeners are called on one daemon thread, {@code inboard-k8s-discovery},
 *       one call at a time, and only when what they would receive changed.
 * </ul>
 */
public final class KubernetesDiscovery implements EndpointDiscovery {

  private final SharedInformerDiscovery engine;
  private final String clusterDomain;

  private KubernetesDiscovery(SharedInformerDiscovery engine, String clusterDomain) {
    this.engine = engine;
    this.clusterDomain = clusterDomain;
  }

  /** Starts configuring a discovery. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * {@inheritDoc}
   *
   * <p>Never blocks on the API: the first subscription in a namespace starts its informers in
   * the background, and the listener hears once they have synced.
   *
   * @throws IllegalStateException if this discovery is closed
   */
  @Override
  public Subscription subscribe(ServiceName service, EndpointListener listener) {
    return engine.subscribe(service, listener);
  }

  /** The cluster's DNS domain, as configured (default {@code cluster.local}). */
  public String clusterDomain() {
    return clusterDomain;
  }

  /** Stops every informer and the discovery thread; closes the client if this created it. */
  @Override
  public void close() {
    engine.close();
  }

  /** Informers running now, so tests can check that they are shared. */
  int informerCount() {
    return engine.informerCount();
  }

  /** List/watch failures so far, so tests can check that outages are noticed. */
  long watchFailures() {
    return engine.watchFailures();
  }

  /** Builds a {@link KubernetesDiscovery}. */
  public static final class Builder {
    private KubernetesClient client;
    private String clusterDomain = "cluster.local";
    private Duration debounce = Duration.ofMillis(100);

    private Builder() {}

    /**
     * How long whole-namespace watches (the control plane's, through
     * {@code io.inboard.mesh.k8s.internal.catalog.KubernetesCatalog}) collect changes before they
     * deliver a snapshot (default 100 ms; zero delivers after each pass of the discovery thread).
     * Subscriptions through {@link #subscribe} are not delayed.
     */
    public Builder debounce(Duration debounce) {
      requireNonNull(debounce, "debounce");
      if (debounce.isNegative() || debounce.compareTo(Duration.ofMinutes(1)) > 0) {
        throw new IllegalArgumentException(
            "debounce: " + debounce + " (expected: 0 to 1 minute)");
      }
      this.debounce = debounce;
      return this;
    }

    /**
     * The client to watch through; the caller keeps ownership and closes it after this
     * discovery. Default: {@code new KubernetesClientBuilder().build()} (in-cluster service
     * account or kubeconfig), owned and closed by the discovery.
     */
    public Builder client(KubernetesClient client) {
      this.client = requireNonNull(client, "client");
      return this;
    }

    /** The cluster's DNS domain (default {@code cluster.local}). */
    public Builder clusterDomain(String clusterDomain) {
      requireNonNull(clusterDomain, "clusterDomain");
      if (clusterDomain.isBlank()) {
        throw new IllegalArgumentException(
            "clusterDomain: '" + clusterDomain + "' (expected: a DNS domain such as cluster.local)");
      }
      this.clusterDomain = clusterDomain;
      return this;
    }

    /** Builds the discovery. No informer starts before the first subscription. */
    public KubernetesDiscovery build() {
      boolean owns = client == null;
      KubernetesClient c = owns ? new KubernetesClientBuilder().build() : client;
      return new KubernetesDiscovery(new SharedInformerDiscovery(c, owns, debounce.toMillis()), clusterDomain);
    }
  }
}
