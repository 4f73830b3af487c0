package io.inboard.mesh.http.mtls;

import com.google.protobuf.Any;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
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

/**
 * A bare xDS server (java-control-plane's cache) serving one host, {@code details:9080}, whose
 * one cluster speaks the mesh's mTLS as Inboard's control plane writes it for ISTIO_MUTUAL: the
 * workload certificate from provider instance {@code default}, roots from {@code ROOTCA}, and
 * the server's expected SPIFFE IDs in {@code match_subject_alt_names}. Hand-made, so the client
 * is tested apart from the control plane's translation.
 */
final class TlsClusterXds implements AutoCloseable {

  static final String HOST = "details.default.svc.cluster.local:9080";
  static final String CLUSTER = "outbound|9080||details.default.svc.cluster.local";

  private final Server server;

  /** Serves the host with its endpoint at {@code 127.0.0.1:endpointPort}. */
  TlsClusterXds(int endpointPort, List<String> subjectAltNames) throws IOException {
    SimpleCache<String> cache = new SimpleCache<>(node -> "all");
    cache.setSnapshot("all", Snapshot.create(List.of(cluster(subjectAltNames)),
        List.of(endpoints(endpointPort)), List.of(listener()), List.of(), List.of(), "v1"));
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0),
            InsecureServerCredentials.create())
        .addService(new V3DiscoveryServer(cache).getAggregatedDiscoveryServiceImpl())
        .build().start();
  }

  /** {@code 127.0.0.1:<port>}, for {@code Mesh.Builder.controlPlane}. */
  String address() {
    return "127.0.0.1:" + server.getPort();
  }

  private static Listener listener() {
    RouteConfiguration routes = RouteConfiguration.newBuilder().setName(HOST)
        .addVirtualHosts(VirtualHost.newBuilder().setName(HOST).addDomains("*")
            .addRoutes(Route.newBuilder()
                .setMatch(RouteMatch.newBuilder().setPrefix("/"))
                .setRoute(RouteAction.newBuilder().setCluster(CLUSTER))))
        .build();
    HttpConnectionManager hcm = HttpConnectionManager.newBuilder().setRouteConfig(routes)
        .addHttpFilters(HttpFilter.newBuilder().setName("envoy.filters.http.router")
            .setTypedConfig(Any.pack(Router.getDefaultInstance())))
        .build();
    return Listener.newBuilder().setName(HOST)
        .setApiListener(ApiListener.newBuilder().setApiListener(Any.pack(hcm))).build();
  }

  private static Cluster cluster(List<String> subjectAltNames) {
    CertificateValidationContext.Builder validation = CertificateValidationContext.newBuilder()
        .setCaCertificateProviderInstance(CertificateProviderPluginInstance.newBuilder()
            .setInstanceName(MeshXdsNames.ROOT_PROVIDER));
    subjectAltNames.forEach(san ->
        validation.addMatchSubjectAltNames(StringMatcher.newBuilder().setExact(san)));
    UpstreamTlsContext tls = UpstreamTlsContext.newBuilder()
        .setSni("outbound_.9080_._.details.default.svc.cluster.local")
        .setCommonTlsContext(CommonTlsContext.newBuilder()
            .setTlsCertificateProviderInstance(CertificateProviderPluginInstance.newBuilder()
                .setInstanceName(MeshXdsNames.IDENTITY_PROVIDER))
            .setValidationContext(validation))
        .build();
    return Cluster.newBuilder().setName(CLUSTER)
        .setType(Cluster.DiscoveryType.EDS)
        .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder().setEdsConfig(
            ConfigSource.newBuilder().setAds(AggregatedConfigSource.getDefaultInstance())))
        .setLbPolicy(Cluster.LbPolicy.ROUND_ROBIN)
        .setTransportSocket(TransportSocket.newBuilder().setName("envoy.transport_sockets.tls")
            .setTypedConfig(Any.pack(tls)))
        .build();
  }

  private static ClusterLoadAssignment endpoints(int port) {
    return ClusterLoadAssignment.newBuilder().setClusterName(CLUSTER)
        .addEndpoints(LocalityLbEndpoints.newBuilder()
            .setLoadBalancingWeight(UInt32Value.of(1))
            .addLbEndpoints(LbEndpoint.newBuilder().setEndpoint(Endpoint.newBuilder()
                .setAddress(Address.newBuilder().setSocketAddress(SocketAddress.newBuilder()
                    .setAddress("127.0.0.1").setPortValue(port))))))
        .build();
  }

  @Override
  public void close() {
    server.shutdownNow();
  }
}
