package io.inboard.mesh.grpc.mtls;

import com.github.xds.type.v3.TypedStruct;
import com.google.protobuf.Any;
import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.UInt32Value;
import com.google.protobuf.Value;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.cluster.v3.LoadBalancingPolicy;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.Locality;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.core.v3.TypedExtensionConfig;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.ApiListener;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.envoyproxy.envoy.extensions.load_balancing_policies.round_robin.v3.RoundRobin;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateProviderPluginInstance;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.inboard.mesh.api.internal.MeshXdsNames;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A hand-fed ADS server (java-control-plane) serving one service's client-side resources, with
 * the Cluster's {@code UpstreamTlsContext} as Inboard's control plane writes it for
 * ISTIO_MUTUAL, or any resources a test builds ({@link #serve}). mesh-grpc cannot use the
 * control plane's own test kit: that module depends on this one.
 */
public final class TestAds implements AutoCloseable {

  private static final ConfigSource ADS = ConfigSource.newBuilder()
      .setAds(AggregatedConfigSource.getDefaultInstance())
      .setResourceApiVersion(ApiVersion.V3).build();

  private final SimpleCache<String> cache = new SimpleCache<>(node -> "all");
  private final AtomicLong version = new AtomicLong();
  private final Server server;

  public TestAds() throws IOException {
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0),
            InsecureServerCredentials.create())
        .addService(new V3DiscoveryServer(cache).getAggregatedDiscoveryServiceImpl())
        .build().start();
  }

  public String address() {
    return "127.0.0.1:" + server.getPort();
  }

  /**
   * Serves {@code reviews.default.svc.cluster.local:<port>} at 127.0.0.1:{@code port}: over
   * ISTIO_MUTUAL checking the server against {@code serverSans}, or plaintext when none.
   */
  void serveReviews(int port, String... serverSans) {
    String host = "reviews.default.svc.cluster.local";
    String listener = host + ":" + port;
    String cluster = "outbound|" + port + "||" + host;
    HttpConnectionManager hcm = HttpConnectionManager.newBuilder()
        .setRds(Rds.newBuilder().setRouteConfigName(listener).setConfigSource(ADS))
        .addHttpFilters(HttpFilter.newBuilder().setName("envoy.filters.http.router")
            .setTypedConfig(Any.pack(Router.getDefaultInstance())))
        .build();
    Listener l = Listener.newBuilder().setName(listener)
        .setApiListener(ApiListener.newBuilder().setApiListener(Any.pack(hcm))).build();
    RouteConfiguration r = RouteConfiguration.newBuilder().setName(listener)
        .addVirtualHosts(VirtualHost.newBuilder().setName(host).addDomains("*")
            .addRoutes(Route.newBuilder().setMatch(RouteMatch.newBuilder().setPrefix(""))
                .setRoute(RouteAction.newBuilder().setCluster(cluster))))
        .build();
    Cluster.Builder c = Cluster.newBuilder().setName(cluster).setType(Cluster.DiscoveryType.EDS)
        .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder().setEdsConfig(ADS))
        .setLbPolicy(Cluster.LbPolicy.ROUND_ROBIN);
    if (serverSans.length > 0) {
      c.setTransportSocket(TransportSocket.newBuilder().setName("envoy.transport_sockets.tls")
          .setTypedConfig(Any.pack(istioMutual("outbound_." + port + "_._." + host,
              serverSans))));
    }
    ClusterLoadAssignment e = ClusterLoadAssignment.newBuilder().setClusterName(cluster)
        .addEndpoints(LocalityLbEndpoints.newBuilder()
            .setLocality(Locality.newBuilder().setRegion("r1").setZone("z1"))
            .setLoadBalancingWeight(UInt32Value.of(1))
            .addLbEndpoints(LbEndpoint.newBuilder().setEndpoint(Endpoint.newBuilder()
                .setAddress(Address.newBuilder().setSocketAddress(SocketAddress.newBuilder()
                    .setAddress("127.0.0.1").setPortValue(port))))))
        .build();
    serve(List.of(c.build()), List.of(e), List.of(l), List.of(r));
  }

  /** Serves exactly these resources (a new version of all of them). */
  public void serve(List<Cluster> clusters, List<ClusterLoadAssignment> endpoints,
      List<Listener> listeners, List<RouteConfiguration> routes) {
    cache.setSnapshot("all", Snapshot.create(clusters, endpoints, listeners, routes, List.of(),
        Long.toString(version.incrementAndGet())));
  }

  /**
   * An API listener named {@code name} whose routes come from RDS resource {@code name}, with
   * {@code filters} before the router.
   */
  public static Listener apiListener(String name, HttpFilter... filters) {
    HttpConnectionManager.Builder hcm = HttpConnectionManager.newBuilder()
        .setRds(Rds.newBuilder().setRouteConfigName(name).setConfigSource(ADS));
    for (HttpFilter f : filters) {
      hcm.addHttpFilters(f);
    }
    hcm.addHttpFilters(HttpFilter.newBuilder().setName("envoy.filters.http.router")
        .setTypedConfig(Any.pack(Router.getDefaultInstance())));
    return Listener.newBuilder().setName(name)
        .setApiListener(ApiListener.newBuilder().setApiListener(Any.pack(hcm.build()))).build();
  }

  /** An EDS cluster named {@code name}, round robin, plaintext. */
  public static Cluster.Builder edsCluster(String name) {
    return Cluster.newBuilder().setName(name).setType(Cluster.DiscoveryType.EDS)
        .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder().setEdsConfig(ADS))
        .setLbPolicy(Cluster.LbPolicy.ROUND_ROBIN);
  }

  /**
   * An EDS cluster named {@code name} with Inboard's cluster policy ({@link
   * MeshXdsNames#GRPC_OUTLIER_POLICY}, ejection off) over round robin, its Struct carrying the
   * cluster's name and {@code fields} (numbers such as {@code maxRequests}), then plain round
   * robin for clients without it.
   */
  public static Cluster inboardPolicyCluster(String name, Map<String, Integer> fields) {
    Struct.Builder policy = Struct.newBuilder()
        .putFields("cluster", Value.newBuilder().setStringValue(name).build())
        .putFields("consecutive5xx", number(0))
        .putFields("consecutiveGatewayErrors", number(0))
        .putFields("childPolicy", Value.newBuilder().setListValue(
            ListValue.newBuilder().addValues(Value
                .newBuilder().setStructValue(Struct.newBuilder().putFields(
                    "round_robin", Value.newBuilder().setStructValue(
                        Struct.getDefaultInstance()).build())))).build());
    fields.forEach((k, v) -> policy.putFields(k, number(v)));
    Any ours = Any.pack(TypedStruct.newBuilder()
        .setTypeUrl("type.googleapis.com/" + MeshXdsNames.GRPC_OUTLIER_POLICY)
        .setValue(policy).build());
    return edsCluster(name).clearLbPolicy().setLoadBalancingPolicy(
        LoadBalancingPolicy.newBuilder()
            .addPolicies(lbPolicy(MeshXdsNames.GRPC_OUTLIER_POLICY, ours))
            .addPolicies(lbPolicy("plain", Any.pack(RoundRobin.getDefaultInstance()))))
        .build();
  }

  private static LoadBalancingPolicy.Policy lbPolicy(
      String name, Any config) {
    return LoadBalancingPolicy.Policy.newBuilder()
        .setTypedExtensionConfig(TypedExtensionConfig
            .newBuilder().setName(name).setTypedConfig(config)).build();
  }

  private static Value number(double n) {
    return Value.newBuilder().setNumberValue(n).build();
  }

  /** {@code cluster}'s endpoints: each port on 127.0.0.1, in one locality. */
  public static ClusterLoadAssignment endpoints(String cluster, int... ports) {
    LocalityLbEndpoints.Builder locality = LocalityLbEndpoints.newBuilder()
        .setLocality(Locality.newBuilder().setRegion("r1").setZone("z1"))
        .setLoadBalancingWeight(UInt32Value.of(1));
    for (int port : ports) {
      locality.addLbEndpoints(LbEndpoint.newBuilder().setEndpoint(Endpoint.newBuilder()
          .setAddress(Address.newBuilder().setSocketAddress(SocketAddress.newBuilder()
              .setAddress("127.0.0.1").setPortValue(port)))));
    }
    return ClusterLoadAssignment.newBuilder().setClusterName(cluster).addEndpoints(locality)
        .build();
  }

  private static UpstreamTlsContext istioMutual(String sni, String... sans) {
    CertificateValidationContext.Builder validation = CertificateValidationContext.newBuilder()
        .setCaCertificateProviderInstance(CertificateProviderPluginInstance.newBuilder()
            .setInstanceName(MeshXdsNames.ROOT_PROVIDER));
    for (String san : sans) {
      validation.addMatchSubjectAltNames(StringMatcher.newBuilder().setExact(san));
    }
    return UpstreamTlsContext.newBuilder().setSni(sni)
        .setCommonTlsContext(CommonTlsContext.newBuilder()
            .setTlsCertificateProviderInstance(CertificateProviderPluginInstance.newBuilder()
                .setInstanceName(MeshXdsNames.IDENTITY_PROVIDER))
            .setValidationContext(validation))
        .build();
  }

  @Override
  public void close() {
    server.shutdownNow();
  }
}
