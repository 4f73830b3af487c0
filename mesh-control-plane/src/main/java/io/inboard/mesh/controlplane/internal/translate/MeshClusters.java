package io.inboard.mesh.controlplane.internal.translate;

import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.Locality;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.inboard.mesh.api.internal.MeshXdsNames;
import io.inboard.mesh.controlplane.ResourceId;
import io.inboard.mesh.controlplane.ServiceEndpoint;
import io.inboard.mesh.controlplane.ServicePort;
import io.inboard.mesh.controlplane.internal.model.ClientTls;
import io.inboard.mesh.controlplane.internal.model.CredentialLookup;
import io.inboard.mesh.controlplane.internal.model.DestinationPolicy;
import io.inboard.mesh.controlplane.internal.model.MtlsMode;
import io.inboard.mesh.controlplane.internal.model.ParsedResource;
import io.inboard.mesh.controlplane.internal.model.Subset;
import io.inboard.mesh.controlplane.internal.model.TrafficPolicy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Every cluster and endpoint assignment of a configuration, with the client TLS of each: one
 * cluster per service port and one per DestinationRule subset.
 *
 * <p><b>TLS.</b> A DestinationRule's {@code tls} decides when it sets one (see {@link
 * DestinationPolicy#tlsFor}). Otherwise auto-mTLS does, as istiod: ISTIO_MUTUAL when the
 * service's namespace mode (mesh- and namespace-wide PeerAuthentication, see {@link
 * PeerAuthentications#namespaceMode}) is not DISABLE and its endpoints are mesh workloads
 * (label {@value MeshXdsNames#TLS_MODE_LABEL}={@value MeshXdsNames#TLS_MODE_ISTIO}),
 * plaintext otherwise. ISTIO_MUTUAL accepts the SPIFFE IDs of the service accounts of the
 * cluster's endpoints, unless the rule lists {@code subjectAltNames}.
 *
 * <p><b>Mixed endpoints.</b> istiod serves such a cluster once, with {@code
 * transport_socket_matches} choosing per endpoint; grpc-xds rejects those (gRFC A29). So when
 * auto-mTLS finds both mesh and other endpoints, the cluster is served as two: its name keeps
 * the mesh endpoints with ISTIO_MUTUAL, and {@link XdsNames#plaintextPart} the others in
 * plaintext. {@link #splits} records both counts, and routes split every weight that names the
 * cluster in proportion (see {@link RouteTranslator}); a mirror naming it copies to the mTLS
 * part only. A cluster with no endpoints is plaintext until some arrive.
 */
final class MeshClusters {
  /** How a mixed cluster was split: the endpoint counts of its mTLS and plaintext parts. */
  record Split(int mtls, int plaintext) {}

  private final PeerAuthentications peerAuthentications;
  private final String defaultNamespace;
  private final String clusterDomain;
  private final String trustDomain;
  private final Function<ResourceId, Optional<ParsedResource.Secret>> secrets;
  final List<Cluster> clusters = new ArrayList<>();
  final List<ClusterLoadAssignment> assignments = new ArrayList<>();
  final Map<String, Split> splits = new HashMap<>();

  /**
   * @param clusterDomain the cluster domain of service hosts
   * @param trustDomain the trust domain of the endpoints' SPIFFE IDs
   * @param secrets the stored Secrets, for {@code tls.credentialName}
   */
  MeshClusters(PeerAuthentications peerAuthentications, String defaultNamespace,
      String clusterDomain, String trustDomain,
      Function<ResourceId, Optional<ParsedResource.Secret>> secrets) {
    this.secrets = secrets;
    this.peerAuthentications = peerAuthentications;
    this.defaultNamespace = defaultNamespace;
    this.clusterDomain = clusterDomain;
    this.trustDomain = trustDomain;
  }

  /**
   * One service port's clusters, assignments and splits, with the DestinationRule and
   * endpoints they were built from. They depend on nothing else but the PeerAuthentications
   * and Secrets, which {@link XdsTranslator} compares as a whole.
   */
  record ServiceClusters(Optional<ParsedResource.DestinationRule> rule,
      List<ServiceEndpoint> endpoints, List<Cluster> clusters,
      List<ClusterLoadAssignment> assignments, Map<String, Split> splits) {

    /** Whether these clusters are those of {@code rule} and {@code endpoints}. */
    boolean sameFor(Optional<ParsedResource.DestinationRule> rule,
        List<ServiceEndpoint> endpoints) {
      return this.rule.equals(rule) && this.endpoints.equals(endpoints);
    }
  }

  /** Adds {@code kept}, built by an earlier translation, as they are. */
  void add(ServiceClusters kept) {
    clusters.addAll(kept.clusters());
    assignments.addAll(kept.assignments());
    splits.putAll(kept.splits());
  }

  /**
   * Adds the clusters of {@code sp}: all its endpoints, and each subset of {@code rule}.
   * A {@code credentialName} is looked up in the rule's namespace.
   *
   * @return what was added, for a later translation to keep
   */
  ServiceClusters add(ServicePort sp, Optional<ParsedResource.DestinationRule> rule,
      List<ServiceEndpoint> endpoints) {
    int first = clusters.size();
    addClusters(sp, rule, endpoints);
    List<Cluster> added = List.copyOf(clusters.subList(first, clusters.size()));
    Map<String, Split> addedSplits = new HashMap<>();
    for (Cluster c : added) {
      Split s = splits.get(c.getName());
      if (s != null) {
        addedSplits.put(c.getName(), s);
      }
    }
    return new ServiceClusters(rule, List.copyOf(endpoints), added,
        List.copyOf(assignments.subList(first, assignments.size())), Map.copyOf(addedSplits));
  }

  private void addClusters(ServicePort sp, Optional<ParsedResource.DestinationRule> rule,
      List<ServiceEndpoint> endpoints) {
    Optional<DestinationPolicy> dr = rule.map(ParsedResource.DestinationRule::policy);
    String ns = rule.map(r -> r.id().namespace()).orElse(defaultNamespace);
    add(sp, "", Map.of(), dr.map(DestinationPolicy::trafficPolicy).orElse(TrafficPolicy.EMPTY),
        dr.flatMap(p -> p.tlsFor("", sp.port())).map(t -> resolve(t, ns)), endpoints);
    for (Subset s : dr.map(DestinationPolicy::subsets).orElse(List.of())) {
      add(sp, s.name(), s.labels(), dr.get().effectivePolicy(s.name()),
          dr.get().tlsFor(s.name(), sp.port()).map(t -> resolve(t, ns)), endpoints);
    }
  }

  /** {@code tls} with what its {@code credentialName} (if any) found in {@code namespace}. */
  private RuleTls resolve(ClientTls tls, String namespace) {
    boolean fromSecret = !tls.credentialName().isEmpty()
        && (tls.mode() == ClientTls.Mode.SIMPLE || tls.mode() == ClientTls.Mode.MUTUAL);
    return new RuleTls(tls, fromSecret ? Optional.of(CredentialLookup.find(tls.mode(),
        tls.credentialName(), tls.insecureSkipVerify(), namespace, secrets)) : Optional.empty());
  }

  /** A DestinationRule's TLS, and its {@code credentialName}'s Secret when it names one. */
  private record RuleTls(ClientTls tls, Optional<CredentialLookup.Found> credential) {}

  private void add(ServicePort sp, String subset, Map<String, String> labels,
      TrafficPolicy policy, Optional<RuleTls> ruleTls, List<ServiceEndpoint> all) {
    String name = XdsNames.cluster(sp.port(), subset, sp.host());
    List<ServiceEndpoint> selected = all.stream()
        .filter(e -> e.labels().entrySet().containsAll(labels.entrySet())).toList();
    String sni = XdsNames.sni(sp.port(), subset, sp.host());
    if (ruleTls.isPresent()) {
      add(name, policy, ruleTls.get().tls(), ruleTls.get().credential(), false, selected, sni);
      return;
    }
    List<ServiceEndpoint> mesh = selected.stream().filter(this::acceptsMtls).toList();
    List<ServiceEndpoint> other = selected.stream().filter(e -> !acceptsMtls(e)).toList();
    if (peerAuthentications.namespaceMode(namespaceOf(sp.host())) == MtlsMode.DISABLE
        || mesh.isEmpty()) {
      add(name, policy, ClientTls.disabled(), Optional.empty(), true, selected, sni);
    } else {
      add(name, policy, ClientTls.istioMutual(), Optional.empty(), true, mesh, sni);
      if (!other.isEmpty()) {
        add(XdsNames.plaintextPart(name), policy, ClientTls.disabled(), Optional.empty(), true,
            other, sni);
        splits.put(name, new Split(mesh.size(), other.size()));
      }
    }
  }

  private void add(String name, TrafficPolicy policy, ClientTls tls,
      Optional<CredentialLookup.Found> credential, boolean auto, List<ServiceEndpoint> endpoints,
      String sni) {
    Cluster.Builder c = ClusterTranslator.cluster(name, policy).toBuilder();
    UpstreamTls.apply(c, tls, auto, identities(endpoints), sni, credential);
    clusters.add(c.build());
    assignments.add(assignment(name, endpoints));
  }

  /** The SPIFFE IDs of the endpoints' service accounts, sorted; unknown ones left out. */
  private List<String> identities(List<ServiceEndpoint> endpoints) {
    TreeSet<String> ids = new TreeSet<>();
    for (ServiceEndpoint e : endpoints) {
      if (!e.serviceAccount().isEmpty()) {
        ids.add(XdsNames.spiffeId(trustDomain, namespaceOf(e.host()), e.serviceAccount()));
      }
    }
    return List.copyOf(ids);
  }

  /**
   * The namespace of a service host {@code name.namespace.svc.<domain>}; the default namespace
   * for hosts of another form.
   */
  private String namespaceOf(String host) {
    String[] labels = host.split("\\.");
    return host.endsWith(".svc." + clusterDomain) && labels.length >= 4 ? labels[1]
        : defaultNamespace;
  }

  /**
   * Whether auto-mTLS may send mTLS to {@code e}: a mesh workload whose own PeerAuthentication
   * (workload or port level) does not DISABLE mTLS on its target port. As istiod marks such
   * endpoints {@code tlsMode: disabled}, so that a workload-level DISABLE needs no
   * DestinationRule to be reachable.
   */
  private boolean acceptsMtls(ServiceEndpoint e) {
    if (!isMeshWorkload(e)) {
      return false;
    }
    PeerAuthentications.InboundModes modes =
        peerAuthentications.forWorkload(namespaceOf(e.host()), e.labels());
    return modes.ports().getOrDefault(e.targetPort(), modes.workload()) != MtlsMode.DISABLE;
  }

  static boolean isMeshWorkload(ServiceEndpoint e) {
    return MeshXdsNames.TLS_MODE_ISTIO.equals(e.labels().get(MeshXdsNames.TLS_MODE_LABEL));
  }

  private static ClusterLoadAssignment assignment(String name, List<ServiceEndpoint> endpoints) {
    // one locality per zone (endpoints of unknown zone share the zone-less one), weighted by its
    // endpoint count as istiod does; grpc-xds drops a locality without load_balancing_weight
    Map<String, LocalityLbEndpoints.Builder> localities = new TreeMap<>();
    for (ServiceEndpoint e : endpoints) {
      // the cluster is named after the service port; the endpoint listens on its target port
      localities.computeIfAbsent(e.zone(), z -> LocalityLbEndpoints.newBuilder()
          .setLocality(Locality.newBuilder().setZone(z)))
          .addLbEndpoints(LbEndpoint.newBuilder().setEndpoint(Endpoint.newBuilder()
              .setAddress(Address.newBuilder().setSocketAddress(SocketAddress.newBuilder()
                  .setAddress(e.address()).setPortValue(e.targetPort())))));
    }
    ClusterLoadAssignment.Builder cla = ClusterLoadAssignment.newBuilder().setClusterName(name);
    localities.values().forEach(l -> cla.addEndpoints(
        l.setLoadBalancingWeight(UInt32Value.of(l.getLbEndpointsCount()))));
    return cla.build();
  }
}
