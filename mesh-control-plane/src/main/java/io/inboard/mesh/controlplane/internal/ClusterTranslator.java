package io.inboard.mesh.controlplane.internal;

import com.google.protobuf.UInt32Value;
import com.google.protobuf.UInt64Value;
import io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.RoutingPriority;
import io.inboard.mesh.api.policy.ConnectionPoolSettings;
import io.inboard.mesh.api.policy.LoadBalancerPolicy;
import io.inboard.mesh.api.policy.OutlierDetection;
import io.inboard.mesh.api.policy.TrafficPolicy;

/** Turns a DestinationRule's effective traffic policy into an EDS Cluster. */
final class ClusterTranslator {
  static final ConfigSource ADS = ConfigSource.newBuilder()
      .setAds(AggregatedConfigSource.getDefaultInstance())
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
    policy.outlierDetection().ifPresent(od -> outlierDetection(c, od));
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
  }

  private static void outlierDetection(Cluster.Builder c, OutlierDetection od) {
    c.setOutlierDetection(io.envoyproxy.envoy.config.cluster.v3.OutlierDetection.newBuilder()
        .setConsecutive5Xx(UInt32Value.of(od.consecutive5xxErrors()))
        .setConsecutiveGatewayFailure(UInt32Value.of(od.consecutiveGatewayErrors()))
        .setEnforcingConsecutiveGatewayFailure(
            UInt32Value.of(od.consecutiveGatewayErrors() > 0 ? 100 : 0))
        .setInterval(Protos.duration(od.interval()))
        .setBaseEjectionTime(Protos.duration(od.baseEjectionTime()))
        .setMaxEjectionPercent(UInt32Value.of(od.maxEjectionPercent()))
        // Envoy (and grpc-xds) enable success-rate ejection unless told not to; Istio's
        // outlierDetection never asks for it
        .setEnforcingSuccessRate(UInt32Value.of(0))
        .setEnforcingFailurePercentage(UInt32Value.of(0)));
  }
}
