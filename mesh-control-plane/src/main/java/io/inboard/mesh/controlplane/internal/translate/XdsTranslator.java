package io.inboard.mesh.controlplane.internal.translate;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.ApiListener;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.inboard.mesh.api.policy.LoadBalancerPolicy;
import io.inboard.mesh.controlplane.ResourceId;
import io.inboard.mesh.controlplane.ServiceEndpoint;
import io.inboard.mesh.controlplane.ServicePort;
import io.inboard.mesh.controlplane.internal.model.GatewayNames;
import io.inboard.mesh.controlplane.internal.model.MeshConfig;
import io.inboard.mesh.controlplane.internal.model.ParsedResource;
import io.inboard.mesh.controlplane.internal.model.TrafficPolicy;
import io.inboard.mesh.controlplane.internal.model.WeightedDestination;
import io.inboard.mesh.controlplane.internal.parse.ResourceParser;
import io.inboard.mesh.controlplane.internal.telemetry.TelemetryMeshConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Optional;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Translates a {@link MeshConfig} to xDS for both data planes. Every known service port gets a
 * Listener, a RouteConfiguration and clusters (all endpoints, plus one per DestinationRule
 * subset), named by {@link XdsNames} after the service port. Each cluster's
 * ClusterLoadAssignment lists its endpoints on their target ports; a service port with no
 * endpoints keeps its resources with an empty assignment, and its routes abort with
 * UNAVAILABLE (see {@link EmptyServiceRoutes}), so that clients fail fast rather than wait for a
 * resource that does not exist or call workloads that are gone.
 *
 * <p>Clusters carry their client TLS: a DestinationRule's {@code tls}, or auto-mTLS; a cluster
 * whose endpoints are partly mesh workloads is served as an mTLS and a plaintext cluster, and
 * routes split their weights between both by endpoint count (see {@link MeshClusters}).
 * Every workload is also served the inbound Listener {@code virtualInbound} with its
 * PeerAuthentication modes, the AuthorizationPolicies and RequestAuthentications that apply
 * to it, and its Telemetries (see {@link InboundListener}, {@link SecurityPolicies}, {@link
 * TelemetryScopes}).
 *
 * <p>Gateway workloads are also served the Gateways that select them, and the VirtualServices
 * bound to those (see {@link GatewayListeners}, {@link GatewayRoutes}); every workload gets at
 * least the gateway index Listener, empty when no Gateway selects it.
 *
 * <p>{@link #prepare} does the work that does not depend on the caller once per configuration;
 * each caller's own resources (routes by its labels, its inbound listener by its namespace and
 * labels) are then built from that.
 *
 * <p><b>Incremental.</b> A translation keeps the previous one's resources of each service port
 * whose inputs are equal, as the same instances (which the ADS server then compares by
 * identity): its Listener (named after it); its clusters and assignments when its endpoints
 * and DestinationRule are equal and so are the PeerAuthentications and Secrets; its mesh
 * routes of a caller label set when its VirtualService is equal and every other service's
 * port, load balancer, split and emptiness that they read answers the same (see {@link
 * RouteReads}). So a change costs about what it touches, not the whole mesh.
 */
public final class XdsTranslator {
  private final String rootNamespace;
  private final String defaultNamespace;
  private final String clusterDomain;
  private final String trustDomain;
  private final TelemetryMeshConfig telemetry;
  /** What the last translation built, for the next one to keep where its inputs are equal. */
  private final AtomicReference<KeptResources> last =
      new AtomicReference<>(KeptResources.NOTHING);

  /**
   * A translator for root namespace {@code istio-system}, default namespace {@code default}
   * and cluster domain {@code cluster.local}.
   */
  public XdsTranslator() {
    this(ResourceParser.DEFAULT_ROOT_NAMESPACE, "default", "cluster.local");
  }

  /**
   * @param rootNamespace the namespace of mesh-wide policies (PeerAuthentication,
   *     AuthorizationPolicy, RequestAuthentication)
   * @param defaultNamespace the namespace of workloads that announce none
   * @param clusterDomain the cluster domain, also the trust domain of the SPIFFE IDs that
   *     mTLS clusters accept
   */
  public XdsTranslator(String rootNamespace, String defaultNamespace, String clusterDomain) {
    this(rootNamespace, defaultNamespace, clusterDomain, clusterDomain);
  }

  /**
   * @param rootNamespace the namespace of mesh-wide policies (PeerAuthentication,
   *     AuthorizationPolicy, RequestAuthentication)
   * @param defaultNamespace the namespace of workloads that announce none
   * @param clusterDomain the cluster domain of service hosts
   * @param trustDomain the trust domain of the SPIFFE IDs that mTLS clusters accept (the CA's)
   */
  public XdsTranslator(String rootNamespace, String defaultNamespace, String clusterDomain,
      String trustDomain) {
    this(rootNamespace, defaultNamespace, clusterDomain, trustDomain,
        TelemetryMeshConfig.DEFAULT);
  }

  /**
   * @param rootNamespace the namespace of mesh-wide policies (PeerAuthentication,
   *     AuthorizationPolicy, RequestAuthentication, Telemetry)
   * @param defaultNamespace the namespace of workloads that announce none
   * @param clusterDomain the cluster domain of service hosts
   * @param trustDomain the trust domain of the SPIFFE IDs that mTLS clusters accept (the CA's)
   * @param telemetry the mesh config's tracing providers and default providers
   */
  public XdsTranslator(String rootNamespace, String defaultNamespace, String clusterDomain,
      String trustDomain, TelemetryMeshConfig telemetry) {
    this.telemetry = telemetry;
    this.rootNamespace = rootNamespace;
    this.defaultNamespace = defaultNamespace;
    this.clusterDomain = clusterDomain;
    this.trustDomain = trustDomain;
  }

  /** The resources served to a caller in the default namespace with no labels. */
  public XdsResources translate(MeshConfig config) {
    return translate(config, Map.of());
  }

  /**
   * The resources served to a caller in the default namespace with {@code sourceLabels}: a
   * VirtualService match alternative with {@code sourceLabels} is included only when the caller
   * carries all of them.
   */
  public XdsResources translate(MeshConfig config, Map<String, String> sourceLabels) {
    return prepare(config).forWorkload("", sourceLabels);
  }

  /** Translates what {@code config} serves every caller alike, with no fetched key sets. */
  public Translation prepare(MeshConfig config) {
    return prepare(config, uri -> Optional.empty());
  }

  /**
   * Translates what {@code config} serves every caller alike.
   *
   * @param jwks the key set last fetched from a RequestAuthentication {@code jwksUri} (JSON
   *     text), if any; read once here, never waited for
   */
  public Translation prepare(MeshConfig config, Function<String, Optional<String>> jwks) {
    Translation t = new Translation(config, jwks, last.get());
    last.set(t.kept());
    return t;
  }

  /** One configuration, translated except for what depends on the caller. */
  public final class Translation {
    private final MeshConfig config;
    private final PeerAuthentications peerAuthentications;
    private final SecurityPolicies securityPolicies;
    private final TelemetryScopes telemetryScopes;
    private final Map<ServicePort, List<ServiceEndpoint>> services = new TreeMap<>();
    private final MeshClusters clusters;
    private final List<Listener> listeners;
    private final Set<String> empty;
    private final List<ParsedResource.Gateway> gateways;
    private final List<ParsedResource.VirtualService> virtualServices;
    private final MeshVirtualServices meshVirtualServices;
    private final Function<ResourceId, Optional<ParsedResource.Secret>> secrets;
    private final Set<String> sourceLabelKeys;
    private final Map<Map<String, String>, MeshRoutes> meshRoutes = new ConcurrentHashMap<>();
    private final Map<String, ParsedResource.DestinationRule> rules = new HashMap<>();
    private final Map<String, List<Integer>> portsByHost = new HashMap<>();
    private final Map<ServicePort, MeshClusters.ServiceClusters> clustersByService =
        new HashMap<>();
    private final Map<ServicePort, Listener> listenersByService = new LinkedHashMap<>();
    private final KeptResources.ClusterGlobals clusterGlobals;
    /** The previous translation's mesh routes, kept where still right. */
    private final Map<Map<String, String>, MeshRoutes> previousRoutes;
    private final RouteInputs inputs = new Inputs();
    /** The inbound listeners served, by what they were built from. */
    private final Map<InboundListener.Inputs, Listener> inbound = new ConcurrentHashMap<>();
    private final Map<InboundListener.Inputs, Listener> previousInbound;
    /** Every listener list served, by what follows the service listeners in it. */
    private final Map<List<Listener>, List<Listener>> listenerLists = new ConcurrentHashMap<>();
    private final List<Cluster> clusterList;
    private final List<ClusterLoadAssignment> assignmentList;

    private Translation(MeshConfig config, Function<String, Optional<String>> jwks,
        KeptResources previous) {
      this.config = config;
      this.peerAuthentications = new PeerAuthentications(config.peerAuthentications(),
          rootNamespace);
      this.securityPolicies = new SecurityPolicies(config.resources(), rootNamespace, jwks);
      this.telemetryScopes = new TelemetryScopes(config.resources(), config.endpoints(),
          rootNamespace, clusterDomain, telemetry);
      // grouped by hash, then sorted once: 10,000 endpoints into a TreeMap was a top frame
      Map<ServicePort, List<ServiceEndpoint>> byPort = new HashMap<>();
      for (ServicePort sp : config.services()) {
        byPort.put(sp, new ArrayList<>());
      }
      for (ServiceEndpoint e : config.endpoints()) {
        byPort.computeIfAbsent(e.servicePort(), k -> new ArrayList<>()).add(e);
      }
      services.putAll(byPort);
      Map<ResourceId, ParsedResource.Secret> secrets = new HashMap<>();
      config.resources().stream().filter(r -> r instanceof ParsedResource.Secret)
          .forEach(r -> secrets.put(r.id(), (ParsedResource.Secret) r));
      this.secrets = id -> Optional.ofNullable(secrets.get(id));
      this.gateways = config.resources().stream()
          .filter(r -> r instanceof ParsedResource.Gateway)
          .map(r -> (ParsedResource.Gateway) r).toList();
      this.virtualServices = config.resources().stream()
          .filter(r -> r instanceof ParsedResource.VirtualService)
          .map(r -> (ParsedResource.VirtualService) r).toList();
      this.meshVirtualServices = new MeshVirtualServices(virtualServices);
      this.sourceLabelKeys = virtualServices.stream().flatMap(vs -> vs.http().stream())
          .flatMap(route -> route.matches().stream())
          .flatMap(m -> m.sourceLabels().keySet().stream()).collect(Collectors.toSet());
      // the first rule of each host (resources are in id order), found without a scan per service
      config.resources().stream().filter(r -> r instanceof ParsedResource.DestinationRule)
          .map(r -> (ParsedResource.DestinationRule) r)
          .forEach(dr -> rules.putIfAbsent(dr.policy().host(), dr));
      services.keySet().forEach(sp -> portsByHost.computeIfAbsent(sp.host(),
          h -> new ArrayList<>()).add(sp.port()));
      clusters = new MeshClusters(peerAuthentications, defaultNamespace, clusterDomain,
          trustDomain, this.secrets);
      clusterGlobals = new KeptResources.ClusterGlobals(config.peerAuthentications(),
          Map.copyOf(secrets));
      // every cluster reads the PeerAuthentications (auto-mTLS) and may read a Secret
      boolean keepClusters = clusterGlobals.equals(previous.globals());
      services.forEach((sp, endpoints) -> {
        Optional<ParsedResource.DestinationRule> rule =
            Optional.ofNullable(rules.get(sp.host()));
        MeshClusters.ServiceClusters kept = keepClusters ? previous.clusters().get(sp) : null;
        if (kept != null && kept.sameFor(rule, endpoints)) {
          clusters.add(kept);
        } else {
          kept = clusters.add(sp, rule, endpoints);
        }
        clustersByService.put(sp, kept);
      });
      empty = clusters.assignments.stream().filter(a -> a.getEndpointsCount() == 0)
          .map(ClusterLoadAssignment::getClusterName).collect(Collectors.toSet());
      services.keySet().forEach(sp -> {
        Listener l = previous.listeners().get(sp);
        listenersByService.put(sp, l != null ? l
            : listener(XdsNames.listener(sp.host(), sp.port())));
      });
      listeners = List.copyOf(listenersByService.values());
      previousRoutes = previous.routes();
      previousInbound = previous.inbound();
      clusterList = List.copyOf(clusters.clusters);
      assignmentList = List.copyOf(clusters.assignments);
    }

    private KeptResources kept() {
      return new KeptResources(clusterGlobals, clustersByService, listenersByService, meshRoutes,
          inbound);
    }

    /** The PeerAuthentications in force. */
    public PeerAuthentications peerAuthentications() {
      return peerAuthentications;
    }

    /** The AuthorizationPolicies and RequestAuthentications in force. */
    public SecurityPolicies securityPolicies() {
      return securityPolicies;
    }

    /** The Telemetries in force. */
    public TelemetryScopes telemetryScopes() {
      return telemetryScopes;
    }

    /**
     * The resources served to a workload in {@code namespace} ({@code ""}: the default
     * namespace) carrying {@code labels}.
     */
    public XdsResources forWorkload(String namespace, Map<String, String> labels) {
      String ns = namespace.isEmpty() ? defaultNamespace : namespace;
      MeshRoutes mesh = meshRoutes.computeIfAbsent(routeLabels(labels), this::meshRoutes);
      List<Listener> own = new ArrayList<>(mesh.mirrorListeners());
      own.add(inbound.computeIfAbsent(new InboundListener.Inputs(
          peerAuthentications.forWorkload(ns, labels),
          securityPolicies.authorizationPolicies(ns, labels),
          securityPolicies.requestAuthentications(ns, labels),
          telemetryScopes.forWorkload(ns, labels), telemetryScopes.exporters()),
          in -> Optional.ofNullable(previousInbound.get(in)).orElseGet(in::listener)));
      // the gateway resources: only gateway workloads ask for them, and every workload gets
      // at least the index, so that one no Gateway selects is told it has no listeners
      GatewayPorts ports = new GatewayPorts(gateways.stream().filter(g -> g.selects(labels))
          .toList(), port -> targetPortOf(ns, labels, port));
      own.addAll(GatewayListeners.of(ports, ns, secrets));
      List<RouteConfiguration> gatewayRoutes = GatewayRoutes.of(ports, virtualServices,
          g -> routesAt(g, labels, inputs), rs -> EmptyServiceRoutes.abortWhereEmpty(rs,
              empty::contains));
      // groups served equal resources get the same list instances, which the ADS server
      // compares by identity, rather than one element by element per group
      List<Listener> all = listenerLists.computeIfAbsent(List.copyOf(own),
          o -> concat(listeners, o));
      List<RouteConfiguration> routeConfigs = gatewayRoutes.isEmpty() ? mesh.routeConfigs()
          : concat(mesh.routeConfigs(), gatewayRoutes);
      return new XdsResources(all, routeConfigs, clusterList, assignmentList);
    }

    /**
     * The mesh routes of callers whose labels, restricted to the keys any {@code sourceLabels}
     * match names, are {@code routeLabels}: built once per such label set, because they are
     * all that the mesh routes depend on, and most groups of workloads differ elsewhere.
     */
    private MeshRoutes meshRoutes(Map<String, String> routeLabels) {
      MeshRoutes before = previousRoutes.get(routeLabels);
      List<RouteConfiguration> routeConfigs = new ArrayList<>();
      List<Route> meshRoutes = new ArrayList<>();
      Map<ServicePort, MeshRoutes.ServiceRoutes> byService = new HashMap<>();
      services.keySet().forEach(sp -> {
        Optional<ParsedResource.VirtualService> vs = meshVirtualServices.forHost(sp.host());
        MeshRoutes.ServiceRoutes kept = before == null ? null : before.byService().get(sp);
        if (kept == null || !kept.sameFor(vs, inputs)) {
          kept = serviceRoutes(sp, vs, routeLabels);
        }
        byService.put(sp, kept);
        meshRoutes.addAll(kept.routes());
        routeConfigs.add(kept.config());
      });
      return new MeshRoutes(List.copyOf(routeConfigs),
          List.copyOf(GrpcRouteExtensions.mirrorListeners(meshRoutes)), byService);
    }

    /** The mesh routes of {@code sp} for callers with {@code routeLabels}, and their reads. */
    private MeshRoutes.ServiceRoutes serviceRoutes(ServicePort sp,
        Optional<ParsedResource.VirtualService> virtualService,
        Map<String, String> routeLabels) {
      RouteReads reads = new RouteReads(inputs);
      RouteTranslator routes = routesAt(GatewayNames.MESH, routeLabels, reads);
      String name = XdsNames.listener(sp.host(), sp.port());
      List<Route> rs = virtualService
          .map(vs -> routes.translate(vs.http(), vs.extras(), sp.port()))
          .orElseGet(() -> List.of(routes.defaultRoute(sp.host(), sp.port())));
      VirtualHost vh = VirtualHost.newBuilder().setName(name).addDomains(sp.host())
          .addDomains(name).addAllRoutes(EmptyServiceRoutes.abortWhereEmpty(rs, reads::isEmpty))
          .build();
      RouteConfiguration config = RouteConfiguration.newBuilder().setName(name)
          .addVirtualHosts(vh).build();
      return new MeshRoutes.ServiceRoutes(virtualService, reads.reads(), rs, config);
    }

    /** {@code labels} restricted to the keys that some VirtualService's sourceLabels name. */
    private Map<String, String> routeLabels(Map<String, String> labels) {
      Map<String, String> out = new TreeMap<>();
      labels.forEach((k, v) -> {
        if (sourceLabelKeys.contains(k)) {
          out.put(k, v);
        }
      });
      return out;
    }

    /**
     * The routes of VirtualServices as served at {@code gateway} to workloads with labels,
     * reading other services through {@code in}.
     */
    private RouteTranslator routesAt(String gateway, Map<String, String> labels,
        RouteInputs in) {
      return new RouteTranslator(in::clusterOf, in::loadBalancerOf, labels, in::splitOf,
          gateway);
    }

    /** What routes read of this translation's services. */
    private final class Inputs implements RouteInputs {
      @Override
      public String clusterOf(WeightedDestination d, int listenerPort) {
        return XdsNames.cluster(destinationPort(d, listenerPort), d.subset(), d.host());
      }

      @Override
      public Optional<LoadBalancerPolicy> loadBalancerOf(String fqdn, String subset) {
        return policyOf(fqdn, subset).loadBalancer();
      }

      @Override
      public MeshClusters.Split splitOf(String cluster) {
        return clusters.splits.get(cluster);
      }

      @Override
      public boolean isEmpty(String cluster) {
        return empty.contains(cluster);
      }
    }

    /**
     * Istio's {@code resolvePorts}: a gateway server port that is a port of a Service of the
     * gateway workload (an endpoint in its namespace carrying its labels) is served on that
     * endpoint's target port; any other port as written.
     */
    private int targetPortOf(String namespace, Map<String, String> labels, int port) {
      if (labels.isEmpty()) {
        return port;
      }
      String suffix = "." + namespace + ".svc." + clusterDomain;
      return config.endpoints().stream()
          .filter(e -> e.port() == port && e.host().endsWith(suffix)
              && e.labels().entrySet().containsAll(labels.entrySet()))
          .map(ServiceEndpoint::targetPort).findFirst().orElse(port);
    }

    /** The port of a destination: as written, else the listener's, else the host's only port. */
    private int destinationPort(WeightedDestination d, int listenerPort) {
      if (d.port() != 0) {
        return d.port();
      }
      List<Integer> ports = portsByHost.getOrDefault(d.host(), List.of());
      if (ports.contains(listenerPort)) {
        return listenerPort;
      }
      return ports.size() == 1 ? ports.get(0) : listenerPort;
    }

    private TrafficPolicy policyOf(String fqdn, String subset) {
      ParsedResource.DestinationRule dr = rules.get(fqdn);
      return dr == null ? TrafficPolicy.EMPTY : dr.policy().effectivePolicy(subset);
    }
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> out = new ArrayList<>(a.size() + b.size());
    out.addAll(a);
    out.addAll(b);
    return List.copyOf(out);
  }

  private static Listener listener(String name) {
    HttpConnectionManager hcm = HttpConnectionManager.newBuilder()
        .setRds(Rds.newBuilder().setRouteConfigName(name).setConfigSource(ClusterTranslator.ADS))
        // the fault filter reads per-route config; the router must come last or grpc-xds
        // rejects the listener
        .addHttpFilters(HttpFilter.newBuilder().setName(RouteTranslator.FAULT_FILTER)
            .setTypedConfig(Any.pack(HTTPFault.getDefaultInstance())))
        // what grpc-xds ignores in a route, for gRPC clients (per-try timeouts, headers, mirrors)
        .addHttpFilters(GrpcRouteExtensions.filter())
        .addHttpFilters(HttpFilter.newBuilder().setName("envoy.filters.http.router")
            .setTypedConfig(Any.pack(Router.getDefaultInstance())))
        .build();
    return Listener.newBuilder().setName(name)
        .setApiListener(ApiListener.newBuilder().setApiListener(Any.pack(hcm))).build();
  }
}
