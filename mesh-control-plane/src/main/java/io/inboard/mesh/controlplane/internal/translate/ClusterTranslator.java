package io.inboard.mesh.controlplane.internal.translate;

import com.google.protobuf.Any;
import com.google.protobuf.UInt32Value;
import com.google.protobuf.UInt64Value;
import io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.Http1ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.RoutingPriority;
import io.envoyproxy.envoy.config.core.v3.SelfConfigSource;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import io.envoyproxy.envoy.type.v3.Percent;
import io.inboard.mesh.api.policy.ConnectionPoolSettings;
import io.inboard.mesh.api.policy.LoadBalancerPolicy;
import io.inboard.mesh.controlplane.internal.model.TrafficPolicy;

/** Turns a DestinationRule's effective traffic policy into an EDS Cluster. */
public final class ClusterTranslator {
  /** The key of Envoy's upstream HTTP options in {@code typed_extension_protocol_options}. */
  public static final String HTTP_PROTOCOL_OPTIONS =
      "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";
  static final ConfigSource ADS = ConfigSource.newBuilder()
      .setAds(AggregatedConfigSource.getDefaultInstance())
      .setResourceApiVersion(ApiVersion.V3).build();
  /** The server that sent the cluster: the only LRS server grpc-xds accepts. */
  static final ConfigSource SELF = ConfigSource.newBuilder()
      .setSelf(SelfConfigSource.getDefaultInstance())
      .setResourceApiVersion(ApiVersion.V3).build();

  private ClusterTranslator() {}

  static Cluster cluster(String name, TrafficPolicy policy) {
    Cluster.Builder c = Cluster.newBuilder().setName(name)
        .setType(Cluster.DiscoveryType.EDS)
        .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder().setEdsConfig(ADS)
            .setServiceName(name))
        .setLbPolicy(Cluster.LbPolicy.ROUND_ROBIN);
    policy.loadBalancer().ifPresent(lb -> loadBalancer(c, lb));
    policy.connectionPool().ifPresent(cp -> connectionPool(c, cp));
    GrpcOutlierDetection.apply(c, policy.outlierDetection(), policy.connectionPool());
    // as Istio: set even at 0, since Envoy's default threshold is 50 and few pods per service
    // would panic too soon; HTTP clients read it, gRPC clients get it in Inboard's policy
    policy.outlierDetection().ifPresent(od -> c.getCommonLbConfigBuilder()
        .setHealthyPanicThreshold(Percent.newBuilder().setValue(od.minHealthPercent())));
    return c.build();
  }

  private static void loadBalancer(Cluster.Builder c, LoadBalancerPolicy lb) {
    if (lb instanceof LoadBalancerPolicy.ConsistentHash ch) {
      c.setLbPolicy(Cluster.LbPolicy.RING_HASH).setRingHashLbConfig(
          Cluster.RingHashLbConfig.newBuilder()
              .setMinimumRingSize(UInt64Value.of(ch.minimumRingSize())));
    } else if (lb instanceof LoadBalancerPolicy.Simple s
        && s.kind() == LoadBalancerPolicy.Simple.Kind.LEAST_REQUEST) {
      c.setLbPolicy(Cluster.LbPolicy.LEAST_REQUEST);
    }
    // RANDOM and PICK_FIRST stay round robin: the parser warned that gRPC lacks RANDOM
  }

  private static void connectionPool(Cluster.Builder c, ConnectionPoolSettings cp) {
    CircuitBreakers.Thresholds.Builder t = CircuitBreakers.Thresholds.newBuilder()
        .setPriority(RoutingPriority.DEFAULT);
    if (cp.maxRequests() != ConnectionPoolSettings.UNLIMITED) {
      t.setMaxRequests(UInt32Value.of(cp.maxRequests()));
    }
    if (cp.maxConnections() != ConnectionPoolSettings.UNLIMITED) {
      t.setMaxConnections(UInt32Value.of(cp.maxConnections()));
    }
    if (cp.maxPendingRequests() != ConnectionPoolSettings.UNLIMITED) {
      t.setMaxPendingRequests(UInt32Value.of(cp.maxPendingRequests()));
    }
    if (cp.maxRetries() != ConnectionPoolSettings.UNLIMITED) {
      t.setMaxRetries(UInt32Value.of(cp.maxRetries()));
    }
    c.setCircuitBreakers(CircuitBreakers.newBuilder().addThresholds(t))
        .setConnectTimeout(Protos.duration(cp.connectTimeout()));
    if (cp.maxRequestsPerConnection() > 0 || cp.idleTimeout().isPresent()) {
      // as Istio: the connections' limits are Envoy's common HTTP protocol options, and the
      // protocol is the downstream's (HTTP clients send each request's own version)
      io.envoyproxy.envoy.config.core.v3.HttpProtocolOptions.Builder common =
          io.envoyproxy.envoy.config.core.v3.HttpProtocolOptions.newBuilder();
      if (cp.maxRequestsPerConnection() > 0) {
        common.setMaxRequestsPerConnection(UInt32Value.of(cp.maxRequestsPerConnection()));
      }
      cp.idleTimeout().ifPresent(idle -> common.setIdleTimeout(Protos.duration(idle)));
      c.putTypedExtensionProtocolOptions(HTTP_PROTOCOL_OPTIONS, Any.pack(
          HttpProtocolOptions.newBuilder().setCommonHttpProtocolOptions(common)
              .setUseDownstreamProtocolConfig(
                  HttpProtocolOptions.UseDownstreamHttpConfig.newBuilder()
                      .setHttpProtocolOptions(Http1ProtocolOptions.getDefaultInstance())
                      .setHttp2ProtocolOptions(Http2ProtocolOptions.getDefaultInstance()))
              .build()));
    }
    if (cp.maxRequests() != ConnectionPoolSettings.UNLIMITED) {
      // grpc-java counts requests in flight only for clusters that report load, so without an
      // LRS server max_requests sheds nothing; the control plane serves LRS on the ADS port
      c.setLrsServer(SELF);
    }
  }
}
