package io.inboard.mesh.gateway;

import com.google.protobuf.Any;
import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.UInt32Value;
import com.google.protobuf.Value;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
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
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import com.google.protobuf.BoolValue;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.inboard.mesh.api.internal.MeshXdsNames;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bare xDS server (java-control-plane's cache) serving hand-built resources of the gateway
 * contract ({@link MeshXdsNames} "Gateways"): the index Listener naming the gateway's
 * listeners, listeners {@code 0.0.0.0_<port>} whose chains hold an HttpConnectionManager with
 * an RDS name (and a DownstreamTlsContext for TLS), route configs with virtual hosts per host,
 * and EDS clusters as the control plane's translator writes them. So the gateway is tested
 * apart from the control plane's translation.
 */
final class GatewayXds implements AutoCloseable {

  static final ConfigSource ADS = ConfigSource.newBuilder()
      .setAds(AggregatedConfigSource.getDefaultInstance())
      .setResourceApiVersion(ApiVersion.V3).build();

  private final SimpleCache<String> cache = new SimpleCache<>(node -> "all");
  private final Server server;
  private final AtomicInteger version = new AtomicInteger();

  GatewayXds() throws IOException {
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0),
            InsecureServerCredentials.create())
        .addService(new V3DiscoveryServer(cache).getAggregatedDiscoveryServiceImpl())
        .build().start();
  }

  /** {@code 127.0.0.1:<port>}, for {@code MeshBuilder.controlPlane}. */
  String address() {
    return "127.0.0.1:" + server.getPort();
  }

  /** Serves exactly these resources from now on. */
  void serve(List<Listener> listeners, List<RouteConfiguration> routes, List<Cluster> clusters,
      List<ClusterLoadAssignment> endpoints) {
    cache.setSnapshot("all", Snapshot.create(clusters, endpoints, listeners, routes, List.of(),
        "v" + version.incrementAndGet()));
  }

  /** The index Listener listing {@code names}. */
  static Listener index(String... names) {
    ListValue.Builder list = ListValue.newBuilder();
    Arrays.stream(names).forEach(n -> list.addValues(Value.newBuilder().setStringValue(n)));
    return Listener.newBuilder().setName(MeshXdsNames.GATEWAY_LISTENERS)
        .setMetadata(Metadata.newBuilder().putFilterMetadata(MeshXdsNames.METADATA_FILTER,
            Struct.newBuilder().putFields(MeshXdsNames.GATEWAY_LISTENER_NAMES,
                Value.newBuilder().setListValue(list).build()).build()))
        .build();
  }

  static String listenerName(int port) {
    return "0.0.0.0_" + port;
  }

  /** A plaintext listener on {@code port} routed by {@code rds}. */
  static Listener plaintext(int port, String rds) {
    return listener(port, FilterChain.newBuilder().addFilters(hcm(rds)).build());
  }

  static Listener listener(int port, FilterChain... chains) {
    return Listener.newBuilder().setName(listenerName(port))
        .setAddress(Address.newBuilder().setSocketAddress(SocketAddress.newBuilder()
            .setAddress("0.0.0.0").setPortValue(port)))
        .addAllFilterChains(List.of(chains)).build();
  }

  /** A TLS chain with the certificate in {@code certFile}/{@code keyFile}, for {@code sni}. */
  static FilterChain tlsChain(String rds, Path certFile, Path keyFile, Path clientCa,
      String... sni) {
    CommonTlsContext.Builder common = CommonTlsContext.newBuilder().addTlsCertificates(
        TlsCertificate.newBuilder()
            .setCertificateChain(DataSource.newBuilder().setFilename(certFile.toString()))
            .setPrivateKey(DataSource.newBuilder().setFilename(keyFile.toString())));
    DownstreamTlsContext.Builder tls = DownstreamTlsContext.newBuilder();
    if (clientCa != null) {
      common.setValidationContext(CertificateValidationContext.newBuilder()
          .setTrustedCa(DataSource.newBuilder().setFilename(clientCa.toString())));
      tls.setRequireClientCertificate(BoolValue.of(true));
    }
    tls.setCommonTlsContext(common);
    return FilterChain.newBuilder()
        .setFilterChainMatch(FilterChainMatch.newBuilder().addAllServerNames(List.of(sni)))
        .setTransportSocket(TransportSocket.newBuilder().setName("envoy.transport_sockets.tls")
            .setTypedConfig(Any.pack(tls.build())))
        .addFilters(hcm(rds)).build();
  }

  static Filter hcm(String rds) {
    HttpConnectionManager hcm = HttpConnectionManager.newBuilder()
        .setStatPrefix("outbound_0.0.0.0")
        .setRds(Rds.newBuilder().setRouteConfigName(rds).setConfigSource(ADS))
        .addHttpFilters(HttpFilter.newBuilder().setName("envoy.filters.http.router")
            .setTypedConfig(Any.pack(Router.getDefaultInstance())))
        .build();
    return Filter.newBuilder().setName("envoy.filters.network.http_connection_manager")
        .setTypedConfig(Any.pack(hcm)).build();
  }

  /** A route config of {@code hosts}. */
  static RouteConfiguration routes(String name, VirtualHost... hosts) {
    return RouteConfiguration.newBuilder().setName(name).addAllVirtualHosts(List.of(hosts))
        .build();
  }

  /** A virtual host for {@code domains}; add routes to it. */
  static VirtualHost.Builder host(String name, String... domains) {
    return VirtualHost.newBuilder().setName(name).addAllDomains(List.of(domains));
  }

  /** A prefix route to one cluster. */
  static Route.Builder prefix(String prefix, String cluster) {
    return Route.newBuilder().setMatch(RouteMatch.newBuilder().setPrefix(prefix))
        .setRoute(RouteAction.newBuilder().setCluster(cluster));
  }

  static HeaderValueOption header(String name, String value, boolean append) {
    return HeaderValueOption.newBuilder()
        .setHeader(HeaderValue.newBuilder().setKey(name).setValue(value))
        .setAppendAction(append ? HeaderValueOption.HeaderAppendAction.APPEND_IF_EXISTS_OR_ADD
            : HeaderValueOption.HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD)
        .build();
  }

  /** An EDS cluster as the control plane's ClusterTranslator writes it (plaintext). */
  static Cluster cluster(String name) {
    return Cluster.newBuilder().setName(name)
        .setType(Cluster.DiscoveryType.EDS)
        .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder().setEdsConfig(ADS)
            .setServiceName(name))
        .setLbPolicy(Cluster.LbPolicy.ROUND_ROBIN)
        .setMetadata(Metadata.newBuilder().putFilterMetadata(MeshXdsNames.METADATA_FILTER,
            Struct.newBuilder()
                .putFields(MeshXdsNames.TLS_MODE, Value.newBuilder().setStringValue("DISABLE")
                    .build())
                .putFields(MeshXdsNames.AUTO_MTLS, Value.newBuilder().setBoolValue(true).build())
                .build()))
        .build();
  }

  /** The endpoints of {@code cluster}: 127.0.0.1 at {@code ports}. */
  static ClusterLoadAssignment endpoints(String cluster, int... ports) {
    List<LbEndpoint> eps = new ArrayList<>();
    for (int p : ports) {
      eps.add(LbEndpoint.newBuilder().setEndpoint(Endpoint.newBuilder()
          .setAddress(Address.newBuilder().setSocketAddress(SocketAddress.newBuilder()
              .setAddress("127.0.0.1").setPortValue(p)))).build());
    }
    return ClusterLoadAssignment.newBuilder().setClusterName(cluster)
        .addEndpoints(LocalityLbEndpoints.newBuilder()
            .setLoadBalancingWeight(UInt32Value.of(1)).addAllLbEndpoints(eps))
        .build();
  }

  /** {@code outbound|<port>||<name>.default.svc.cluster.local}, Istio's cluster name. */
  static String clusterName(String service, int port) {
    return "outbound|" + port + "||" + service + ".default.svc.cluster.local";
  }

  @Override
  public void close() {
    server.shutdownNow();
  }
}
