package io.inboard.mesh.controlplane.internal.translate;

import com.github.xds.type.v3.TypedStruct;
import com.google.protobuf.Any;
import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.UInt32Value;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.cluster.v3.LoadBalancingPolicy;
import io.envoyproxy.envoy.config.core.v3.TypedExtensionConfig;
import io.envoyproxy.envoy.extensions.load_balancing_policies.least_request.v3.LeastRequest;
import io.envoyproxy.envoy.extensions.load_balancing_policies.ring_hash.v3.RingHash;
import io.envoyproxy.envoy.extensions.load_balancing_policies.round_robin.v3.RoundRobin;
import io.envoyproxy.envoy.extensions.load_balancing_policies.wrr_locality.v3.WrrLocality;
import io.inboard.mesh.api.internal.GrpcClusterPolicyFields;
import io.inboard.mesh.api.internal.MeshXdsNames;
import io.inboard.mesh.api.policy.ConnectionPoolSettings;
import io.inboard.mesh.api.policy.OutlierDetectionPolicy;
import java.util.Optional;

/**
 * Istio's outlier detection and connection-pool limits for gRPC clients (see "gRPC cluster
 * policy" in {@link MeshXdsNames}), and Envoy's consecutive fields in {@code outlier_detection},
 * which HTTP clients read. gRPC clients eject by success rate and failure percentage only (gRFC
 * A50) and honour only {@code max_requests} of the circuit breakers, so Inboard's cluster policy
 * in {@code load_balancing_policy}, wrapping the cluster's own policy, carries consecutive-error
 * ejection, the pool limits (calls in flight and waiting, retries in flight) and the
 * connections' limits (calls per connection, idle timeout).
 *
 * <p>The A50 rules are switched off ({@code enforcing_success_rate} and {@code
 * enforcing_failure_percentage} 0): Istio never asks for them, and grpc-xds would otherwise
 * enable success-rate ejection by default.
 */
final class GrpcOutlierDetection {
  private GrpcOutlierDetection() {}

  /**
   * Sets {@code outlier_detection} when {@code od} is given, and Inboard's cluster policy when
   * it ejects on consecutive errors or {@code cp} limits calls or retries.
   */
  static void apply(Cluster.Builder c, Optional<OutlierDetectionPolicy> od,
      Optional<ConnectionPoolSettings> cp) {
    od.ifPresent(o -> outlierDetection(c, o));
    boolean ejecting = od.filter(
        o -> o.consecutive5xxErrors() > 0 || o.consecutiveGatewayErrors() > 0).isPresent();
    boolean pooled = cp.filter(p -> p.maxRequests() != ConnectionPoolSettings.UNLIMITED
        || p.maxPendingRequests() != ConnectionPoolSettings.UNLIMITED
        || p.maxRetries() != ConnectionPoolSettings.UNLIMITED
        || GrpcClusterPolicyFields.limitsConnections(p)).isPresent();
    if (ejecting || pooled) {
      c.setLoadBalancingPolicy(policy(c, ejecting ? od.get() : null, cp.orElse(null)));
    }
  }

  private static void outlierDetection(Cluster.Builder c, OutlierDetectionPolicy od) {
    c.setOutlierDetection(io.envoyproxy.envoy.config.cluster.v3.OutlierDetection.newBuilder()
        .setConsecutive5Xx(UInt32Value.of(od.consecutive5xxErrors()))
        .setEnforcingConsecutive5Xx(UInt32Value.of(od.consecutive5xxErrors() > 0 ? 100 : 0))
        .setConsecutiveGatewayFailure(UInt32Value.of(od.consecutiveGatewayErrors()))
        .setEnforcingConsecutiveGatewayFailure(
            UInt32Value.of(od.consecutiveGatewayErrors() > 0 ? 100 : 0))
        .setInterval(Protos.duration(od.interval()))
        .setBaseEjectionTime(Protos.duration(od.baseEjectionTime()))
        .setMaxEjectionPercent(UInt32Value.of(od.maxEjectionPercent()))
        .setEnforcingSuccessRate(UInt32Value.of(0))
        .setEnforcingFailurePercentage(UInt32Value.of(0)));
  }

  /**
   * Inboard's policy over the cluster's own, then the cluster's own alone for clients without
   * Inboard's. Round robin and least request go under {@code wrr_locality}, as grpc-xds places
   * them, so that locality weights keep applying while ejection counts across the localities
   * of a priority, as Envoy counts a cluster's hosts; ring hash picks across localities itself.
   */
  private static LoadBalancingPolicy policy(Cluster.Builder c, OutlierDetectionPolicy od,
      ConnectionPoolSettings cp) {
    Value child;
    Any plain;
    switch (c.getLbPolicy()) {
      case RING_HASH -> {
        long min = c.getRingHashLbConfig().hasMinimumRingSize()
            ? c.getRingHashLbConfig().getMinimumRingSize().getValue() : 1024;
        child = object("ring_hash_experimental", Struct.newBuilder()
            .putFields("minRingSize", Value.newBuilder().setNumberValue(min).build()).build());
        plain = Any.pack(RingHash.newBuilder().setMinimumRingSize(
            com.google.protobuf.UInt64Value.of(min)).build());
      }
      case LEAST_REQUEST -> {
        child = inLocalities(object("least_request_experimental", Struct.getDefaultInstance()));
        plain = inLocalities(Any.pack(LeastRequest.getDefaultInstance()));
      }
      default -> {
        child = inLocalities(object("round_robin", Struct.getDefaultInstance()));
        plain = inLocalities(Any.pack(RoundRobin.getDefaultInstance()));
      }
    }
    return LoadBalancingPolicy.newBuilder()
        .addPolicies(policy(MeshXdsNames.GRPC_OUTLIER_POLICY, Any.pack(TypedStruct.newBuilder()
            .setTypeUrl("type.googleapis.com/" + MeshXdsNames.GRPC_OUTLIER_POLICY)
            .setValue(config(c.getName(), od, cp, child)).build())))
        .addPolicies(policy("plain", plain))
        .build();
  }

  private static Value inLocalities(Value endpointPicking) {
    return object("wrr_locality_experimental", Struct.newBuilder().putFields("childPolicy",
        Value.newBuilder().setListValue(ListValue.newBuilder().addValues(endpointPicking))
            .build()).build());
  }

  private static Any inLocalities(Any endpointPicking) {
    return Any.pack(WrrLocality.newBuilder().setEndpointPickingPolicy(LoadBalancingPolicy
        .newBuilder().addPolicies(policy("endpoint_picking", endpointPicking))).build());
  }

  /**
   * The policy's Struct, as MeshXdsNames spells it; {@code od} null when ejection is off,
   * {@code cp} null when the pool is unlimited.
   */
  private static Struct config(String cluster, OutlierDetectionPolicy od, ConnectionPoolSettings cp,
      Value childPolicy) {
    Struct.Builder s = Struct.newBuilder();
    GrpcClusterPolicyFields.of(cluster, od, cp).forEach((field, value) -> s.putFields(field,
        value instanceof String text ? Value.newBuilder().setStringValue(text).build()
            : Value.newBuilder().setNumberValue((Double) value).build()));
    return s.putFields("childPolicy", Value.newBuilder().setListValue(
        ListValue.newBuilder().addValues(childPolicy)).build()).build();
  }

  private static LoadBalancingPolicy.Policy policy(String name, Any config) {
    return LoadBalancingPolicy.Policy.newBuilder().setTypedExtensionConfig(
        TypedExtensionConfig.newBuilder().setName(name).setTypedConfig(config)).build();
  }

  private static Value object(String name, Struct config) {
    return Value.newBuilder().setStructValue(Struct.newBuilder()
        .putFields(name, Value.newBuilder().setStructValue(config).build())).build();
  }

}
