package io.inboard.mesh.grpc.internal.k8s;

import io.grpc.Status;
import io.inboard.mesh.api.internal.GrpcClusterPolicyFields;
import io.inboard.mesh.api.internal.MeshXdsNames;
import io.inboard.mesh.api.policy.ClientPolicy;
import io.inboard.mesh.api.policy.ConnectionPoolSettings;
import io.inboard.mesh.api.policy.LoadBalancerPolicy;
import io.inboard.mesh.api.policy.OutlierDetectionPolicy;
import io.inboard.mesh.api.policy.RetryPolicy;
import io.inboard.mesh.grpc.internal.client.MethodPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Translates effective mesh policy into a gRPC service config (the JSON-shaped map that
 * {@code ManagedChannelBuilder.defaultServiceConfig} takes). Validation happens here, so that a
 * policy gRPC cannot honour fails when the channel is built, not on the first call.
 *
 * <table>
 *   <caption>Policy to service config</caption>
 *   <tr><th>policy</th><th>service config</th></tr>
 *   <tr><td>loadBalancer ROUND_ROBIN / PICK_FIRST</td>
 *       <td>{@code loadBalancingConfig: [{round_robin:{}}]} / {@code [{pick_first:{shuffleAddressList:true}}]}</td></tr>
 *   <tr><td>outlierDetection (consecutive errors), connectionPool.maxRequestsPerConnection,
 *       idleTimeout</td><td>the load balancer above under Inboard's cluster policy</td></tr>
 *   <tr><td>timeout</td><td>{@code methodConfig[].timeout} (the default deadline)</td></tr>
 *   <tr><td>retry.attempts</td><td>{@code retryPolicy.maxAttempts = attempts + 1}</td></tr>
 *   <tr><td>retry.retryOn</td><td>{@code retryPolicy.retryableStatusCodes}, see {@link GrpcRetryCodes}</td></tr>
 *   <tr><td>retry.baseBackoff / maxBackoff</td>
 *       <td>{@code initialBackoff} / {@code maxBackoff}, {@code backoffMultiplier: 2}</td></tr>
 * </table>
 */
final class ServiceConfigs {

  private ServiceConfigs() {}

  /**
   * The service config for a channel whose calls follow {@code channelPolicy}, except the
   * methods listed in {@code methods}.
   *
   * @throws IllegalArgumentException {@code field: value (expected: ...)} for policy gRPC cannot honour
   */
  static Map<String, Object> of(ClientPolicy channelPolicy, List<MethodPolicy> methods) {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("loadBalancingConfig", List.of(meshPolicy(channelPolicy,
        loadBalancer(channelPolicy.loadBalancer().orElse(LoadBalancerPolicy.ROUND_ROBIN)))));
    List<Object> methodConfigs = new ArrayList<>();
    // An entry with an empty name is gRPC's default for every method of every service.
    methodConfigs.add(methodConfig(List.of(Map.of()), channelPolicy));
    for (MethodPolicy m : methods) {
      methodConfigs.add(methodConfig(
          List.of(Map.of("service", m.service(), "method", m.method())), m.policy()));
    }
    config.put("methodConfig", methodConfigs);
    return config;
  }

  /** The largest {@code maxAttempts} among the policies, at least 1. */
  static int maxAttempts(ClientPolicy channelPolicy, List<MethodPolicy> methods) {
    int max = attempts(channelPolicy);
    for (MethodPolicy m : methods) {
      max = Math.max(max, attempts(m.policy()));
    }
    return max;
  }

  private static int attempts(ClientPolicy p) {
    return p.retry().map(r -> r.attempts() + 1).orElse(1);
  }

  private static Map<String, Object> loadBalancer(LoadBalancerPolicy lb) {
    if (lb instanceof LoadBalancerPolicy.Simple s) {
      switch (s.kind()) {
        case ROUND_ROBIN:
          return Map.of("round_robin", Map.of());
        case PICK_FIRST:
          // Shuffling spreads many clients over the endpoints; each still sticks to one.
          return Map.of("pick_first", Map.of("shuffleAddressList", true));
        default:
          break;
      }
    }
    String value = lb instanceof LoadBalancerPolicy.Simple s ? s.kind().name() : lb.toString();
    throw new IllegalArgumentException(
        "loadBalancer: " + value + " (expected: ROUND_ROBIN or PICK_FIRST for gRPC)");
  }

  /**
   * {@code endpointPicking} under Inboard's cluster policy ({@link
   * MeshXdsNames#GRPC_OUTLIER_POLICY}, the one the control plane sends gRPC clients) when the
   * policy ejects on consecutive errors or limits connections (calls per connection, idle
   * timeout); else {@code endpointPicking} alone. The calls' limits are applied by {@link
   * io.inboard.mesh.grpc.internal.pool.PoolAdmission} instead, so the policy names no cluster.
   */
  private static Map<String, Object> meshPolicy(ClientPolicy p,
      Map<String, Object> endpointPicking) {
    OutlierDetectionPolicy od = p.outlierDetection()
        .filter(o -> o.consecutive5xxErrors() > 0 || o.consecutiveGatewayErrors() > 0)
        .orElse(null);
    ConnectionPoolSettings cp = p.connectionPool().orElse(ConnectionPoolSettings.DEFAULT);
    if (od == null && !GrpcClusterPolicyFields.limitsConnections(cp)) {
      return endpointPicking;
    }
    // the calls' limits are PoolAdmission's: only the connections' go to the policy
    Map<String, Object> c = GrpcClusterPolicyFields.of("", od,
        ConnectionPoolSettings.builder().maxRequestsPerConnection(cp.maxRequestsPerConnection())
            .idleTimeout(cp.idleTimeout().orElse(Duration.ZERO)).build());
    c.put("childPolicy", List.of(endpointPicking));
    return Map.of(MeshXdsNames.GRPC_OUTLIER_POLICY, c);
  }

  private static Map<String, Object> methodConfig(List<Map<String, String>> names, ClientPolicy p) {
    Map<String, Object> mc = new LinkedHashMap<>();
    mc.put("name", names);
    p.timeout().ifPresent(t -> mc.put("timeout", seconds(t)));
    p.retry().filter(r -> r.attempts() > 0).ifPresent(r -> mc.put("retryPolicy", retryPolicy(r)));
    return mc;
  }

  private static Map<String, Object> retryPolicy(RetryPolicy r) {
    Set<Status.Code> codes = GrpcRetryCodes.of(r.retryOn());
    if (codes.isEmpty()) {
      throw new IllegalArgumentException("retry.retryOn: '" + r.retryOn() + "' (expected: at"
          + " least one condition gRPC can see: a gRPC code such as unavailable, or 5xx,"
          + " gateway-error, connect-failure, refused-stream, reset)");
    }
    Map<String, Object> rp = new LinkedHashMap<>();
    rp.put("maxAttempts", (double) (r.attempts() + 1));
    rp.put("initialBackoff", seconds(r.baseBackoff()));
    rp.put("maxBackoff", seconds(r.maxBackoff()));
    rp.put("backoffMultiplier", 2.0);
    rp.put("retryableStatusCodes", codes.stream().map(Enum::name).toList());
    return rp;
  }

  /** gRPC's JSON duration form: seconds with up to nine decimals and an {@code s}. */
  static String seconds(Duration d) {
    return d.getSeconds() + "." + String.format("%09d", d.getNano()) + "s";
  }
}
