package io.inboard.mesh.controlplane.internal.translate;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.xds.type.v3.TypedStruct;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.cluster.v3.LoadBalancingPolicy;
import io.envoyproxy.envoy.extensions.load_balancing_policies.round_robin.v3.RoundRobin;
import io.envoyproxy.envoy.extensions.load_balancing_policies.wrr_locality.v3.WrrLocality;
import io.inboard.mesh.api.internal.MeshXdsNames;
import io.inboard.mesh.api.policy.ConnectionPoolSettings;
import io.inboard.mesh.api.policy.LoadBalancerPolicy;
import io.inboard.mesh.api.policy.OutlierDetectionPolicy;
import io.inboard.mesh.controlplane.internal.model.TrafficPolicy;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Consecutive-error ejection for HTTP clients (Envoy's fields) and gRPC clients (our policy), and
 * the connection-pool limits our policy carries to gRPC clients.
 */
class GrpcOutlierDetectionTest {
  static final Duration SECOND = Duration.ofSeconds(1);
  static final Duration HALF_MINUTE = Duration.ofSeconds(30);
  static final String CLUSTER = "outbound|9080||reviews.default.svc.cluster.local";

  @Test
  void consecutiveErrorsReachGrpcClientsAsInboardsPolicyOverRoundRobin() throws Exception {
    Cluster c = cluster(new OutlierDetectionPolicy(3, 2, SECOND, HALF_MINUTE, 50,
        Optional.empty()), null);

    LoadBalancingPolicy top = c.getLoadBalancingPolicy();
    assertThat(top.getPoliciesCount()).isEqualTo(2);
    Struct config = ours(top.getPolicies(0));
    assertThat(config.getFieldsOrThrow("consecutive5xx").getNumberValue()).isEqualTo(3);
    assertThat(config.getFieldsOrThrow("consecutiveGatewayErrors").getNumberValue()).isEqualTo(2);
    assertThat(config.getFieldsOrThrow("intervalMs").getNumberValue()).isEqualTo(1000);
    assertThat(config.getFieldsOrThrow("baseEjectionTimeMs").getNumberValue()).isEqualTo(30_000);
    assertThat(config.getFieldsOrThrow("maxEjectionTimeMs").getNumberValue()).isEqualTo(300_000);
    assertThat(config.getFieldsOrThrow("maxEjectionPercent").getNumberValue()).isEqualTo(50);
    // round robin under wrr_locality, as grpc-xds places it: locality weights keep applying
    Struct wrr = config.getFieldsOrThrow("childPolicy").getListValue().getValues(0)
        .getStructValue().getFieldsOrThrow("wrr_locality_experimental").getStructValue();
    assertThat(wrr.getFieldsOrThrow("childPolicy").getListValue().getValues(0).getStructValue()
        .containsFields("round_robin")).isTrue();
    // a gRPC client without Inboard's policy falls back to plain round robin in localities
    WrrLocality plain = top.getPolicies(1).getTypedExtensionConfig().getTypedConfig()
        .unpack(WrrLocality.class);
    assertThat(plain.getEndpointPickingPolicy().getPolicies(0).getTypedExtensionConfig()
        .getTypedConfig().is(RoundRobin.class)).isTrue();
  }

  @Test
  void httpClientsKeepEnvoysConsecutiveFieldsWithoutA50Rules() {
    var od = cluster(new OutlierDetectionPolicy(3, 0, SECOND, HALF_MINUTE, 100,
        Optional.empty()), null).getOutlierDetection();

    assertThat(od.getConsecutive5Xx().getValue()).isEqualTo(3);
    assertThat(od.getEnforcingConsecutive5Xx().getValue()).isEqualTo(100);
    assertThat(od.getEnforcingConsecutiveGatewayFailure().getValue()).isZero();
    assertThat(od.getInterval().getSeconds()).isEqualTo(1);
    assertThat(od.getBaseEjectionTime().getSeconds()).isEqualTo(30);
    assertThat(od.getMaxEjectionPercent().getValue()).isEqualTo(100);
    // grpc-xds would otherwise eject by success rate, which Istio never asks for
    assertThat(od.getEnforcingSuccessRate().getValue()).isZero();
    assertThat(od.getEnforcingFailurePercentage().getValue()).isZero();
  }

  @Test
  void ringHashKeepsItsPlaceAtTheTopUnderInboardsPolicy() throws Exception {
    Cluster c = cluster(new OutlierDetectionPolicy(5, 0, SECOND, HALF_MINUTE, 10,
        Optional.empty()), new LoadBalancerPolicy.ConsistentHash(
            new LoadBalancerPolicy.HashKey.SourceIp(), 2048));

    LoadBalancingPolicy top = c.getLoadBalancingPolicy();
    assertThat(top.getPoliciesCount()).isEqualTo(2);
    Struct child = ours(top.getPolicies(0)).getFieldsOrThrow("childPolicy").getListValue()
        .getValues(0).getStructValue();
    assertThat(child.getFieldsOrThrow("ring_hash_experimental").getStructValue()
        .getFieldsOrThrow("minRingSize").getNumberValue()).isEqualTo(2048);
  }

  @Test
  void noConsecutiveCountsNeedsNoPolicy() {
    Cluster c = cluster(new OutlierDetectionPolicy(0, 0, SECOND, HALF_MINUTE, 10,
        Optional.empty()), null);

    assertThat(c.hasLoadBalancingPolicy()).isFalse();
    assertThat(c.getOutlierDetection().getEnforcingFailurePercentage().getValue()).isZero();
  }

  @Test
  void poolLimitsAloneReachGrpcClientsInInboardsPolicyWithEjectionOff() throws Exception {
    Cluster c = pooled(ConnectionPoolSettings.builder().maxRequests(3).maxPendingRequests(2)
        .maxRetries(1).maxRequestsPerConnection(7).build(), Optional.empty());

    Struct config = ours(c.getLoadBalancingPolicy().getPolicies(0));
    assertThat(config.getFieldsOrThrow("cluster").getStringValue()).isEqualTo(CLUSTER);
    assertThat(config.getFieldsOrThrow("maxRequests").getNumberValue()).isEqualTo(3);
    assertThat(config.getFieldsOrThrow("maxPendingRequests").getNumberValue()).isEqualTo(2);
    assertThat(config.getFieldsOrThrow("maxRetries").getNumberValue()).isEqualTo(1);
    assertThat(config.getFieldsOrThrow("maxRequestsPerConnection").getNumberValue())
        .isEqualTo(7);
    assertThat(config.getFieldsOrThrow("consecutive5xx").getNumberValue()).isZero();
    assertThat(config.getFieldsOrThrow("consecutiveGatewayErrors").getNumberValue()).isZero();
    // HTTP clients and plain grpc-xds clients keep reading the circuit breakers
    var t = c.getCircuitBreakers().getThresholds(0);
    assertThat(t.getMaxRequests().getValue()).isEqualTo(3);
    assertThat(t.getMaxPendingRequests().getValue()).isEqualTo(2);
    assertThat(t.getMaxRetries().getValue()).isEqualTo(1);
    assertThat(c.hasLrsServer()).isTrue();
    assertThat(c.hasOutlierDetection()).isFalse();
  }

  @Test
  void unlimitedFieldsAreAbsentAndEjectionKeepsItsCounts() throws Exception {
    Cluster c = pooled(ConnectionPoolSettings.builder().maxPendingRequests(4).build(),
        Optional.of(new OutlierDetectionPolicy(3, 0, SECOND, HALF_MINUTE, 50, Optional.empty())));

    Struct config = ours(c.getLoadBalancingPolicy().getPolicies(0));
    assertThat(config.getFieldsOrThrow("cluster").getStringValue()).isEqualTo(CLUSTER);
    assertThat(config.getFieldsOrThrow("maxPendingRequests").getNumberValue()).isEqualTo(4);
    assertThat(config.containsFields("maxRequests")).isFalse();
    assertThat(config.containsFields("maxRetries")).isFalse();
    assertThat(config.containsFields("maxRequestsPerConnection")).isFalse();
    assertThat(config.getFieldsOrThrow("consecutive5xx").getNumberValue()).isEqualTo(3);
  }

  @Test
  void idleTimeoutReachesGrpcClientsInInboardsPolicy_andHttpClientsInEnvoysProtocolOptions()
      throws Exception {
    Cluster c = pooled(ConnectionPoolSettings.builder().idleTimeout(Duration.ofMinutes(5))
        .maxRequestsPerConnection(9).build(), Optional.empty());

    Struct config = ours(c.getLoadBalancingPolicy().getPolicies(0));
    assertThat(config.getFieldsOrThrow("idleTimeoutMs").getNumberValue()).isEqualTo(300_000);
    var options = c.getTypedExtensionProtocolOptionsOrThrow(
        ClusterTranslator.HTTP_PROTOCOL_OPTIONS).unpack(
            io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions.class);
    assertThat(options.getCommonHttpProtocolOptions().getIdleTimeout().getSeconds())
        .isEqualTo(300);
    assertThat(options.getCommonHttpProtocolOptions().getMaxRequestsPerConnection().getValue())
        .isEqualTo(9);
    assertThat(options.hasUseDownstreamProtocolConfig()).isTrue();
  }

  @Test
  void anIdleTimeoutOfZeroNeedsNoPolicyButReachesHttpClients() throws Exception {
    Cluster c = pooled(ConnectionPoolSettings.builder().idleTimeout(Duration.ZERO).build(),
        Optional.empty());

    assertThat(c.hasLoadBalancingPolicy()).isFalse();
    assertThat(c.getTypedExtensionProtocolOptionsOrThrow(ClusterTranslator.HTTP_PROTOCOL_OPTIONS)
        .unpack(io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions.class)
        .getCommonHttpProtocolOptions().hasIdleTimeout()).isTrue();
  }

  @Test
  void connectTimeoutAloneNeedsNoPolicy() {
    Cluster c = pooled(ConnectionPoolSettings.builder().connectTimeout(SECOND).build(),
        Optional.empty());

    assertThat(c.hasLoadBalancingPolicy()).isFalse();
  }

  private static Cluster pooled(ConnectionPoolSettings cp, Optional<OutlierDetectionPolicy> od) {
    return ClusterTranslator.cluster(CLUSTER,
        new TrafficPolicy(Optional.empty(), Optional.of(cp), od));
  }

  private static Struct ours(LoadBalancingPolicy.Policy p) throws InvalidProtocolBufferException {
    assertThat(p.getTypedExtensionConfig().getName()).isEqualTo(MeshXdsNames.GRPC_OUTLIER_POLICY);
    TypedStruct ts = p.getTypedExtensionConfig().getTypedConfig().unpack(TypedStruct.class);
    assertThat(ts.getTypeUrl()).isEqualTo("type.googleapis.com/"
        + MeshXdsNames.GRPC_OUTLIER_POLICY);
    return ts.getValue();
  }

  private static Cluster cluster(OutlierDetectionPolicy od, LoadBalancerPolicy lb) {
    return ClusterTranslator.cluster(CLUSTER,
        new TrafficPolicy(Optional.ofNullable(lb), Optional.empty(), Optional.of(od)));
  }
}
