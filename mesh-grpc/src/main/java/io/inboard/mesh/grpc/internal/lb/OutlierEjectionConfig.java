package io.inboard.mesh.grpc.internal.lb;

import io.grpc.NameResolver.ConfigOrError;
import io.grpc.Status;
import io.grpc.util.GracefulSwitchLoadBalancer;
import io.inboard.mesh.api.internal.MeshXdsNames;
import io.inboard.mesh.grpc.internal.pool.PoolLimits;
import java.util.List;
import java.util.Map;

/**
 * The settings of one cluster's consecutive-error ejection, read from the Struct of the
 * {@link MeshXdsNames#GRPC_OUTLIER_POLICY} TypedStruct (numbers arrive as doubles).
 *
 * @param consecutive5xx consecutive 5xx-class results (gRPC status mapped as Envoy maps it)
 *     that eject an endpoint; 0 turns this check off (default 5, as Envoy)
 * @param consecutiveGatewayErrors consecutive 502/503/504-class results (UNAVAILABLE,
 *     DEADLINE_EXCEEDED) that eject an endpoint; 0 turns this check off (default 0: Envoy counts
 *     but does not enforce them unless asked)
 * @param intervalNanos how often ejected endpoints are checked for return and the ejection
 *     multipliers of healthy endpoints decay (default 10 s)
 * @param baseEjectionNanos the ejection time of a first ejection; the n-th consecutive ejection
 *     lasts n times as long (default 30 s)
 * @param maxEjectionNanos the cap of an ejection time; never below {@code baseEjectionNanos}
 *     (default 300 s)
 * @param maxEjectionPercent the most endpoints, in percent of the cluster's, that may be ejected
 *     at once, 0..100 (default 10)
 * @param minHealthPercent below this share of non-ejected endpoints, in percent, picks ignore
 *     ejection (Envoy's panic threshold, Istio's {@code minHealthPercent}); 0 never (default 0)
 * @param childConfig the child policy's parsed config, for a {@link GracefulSwitchLoadBalancer}
 *     (default round_robin)
 * @param cluster the Cluster's name, such as {@code
 *     outbound|9080||reviews.default.svc.cluster.local}: the route filter finds a call's pool
 *     by it, and it is the {@code cluster_name} label of the ejection metrics; {@code ""} when
 *     not given (default), and then neither limits nor metrics apply
 * @param pool the cluster's connection-pool limits ({@code maxRequests}, {@code
 *     maxPendingRequests}, {@code maxRetries}; each absent means unlimited)
 * @param maxRequestsPerConnection calls a connection carries before a fresh one replaces it
 *     ({@link RecyclingSubchannel}); 0 (absent) for unlimited
 * @param idleTimeoutNanos how long a connection may carry no stream before it is closed ({@link
 *     RecyclingSubchannel}); 0 (absent, or Istio's {@code 0s}) for never: grpc's own channel
 *     idleness still applies
 */
public record OutlierEjectionConfig(
    int consecutive5xx,
    int consecutiveGatewayErrors,
    long intervalNanos,
    long baseEjectionNanos,
    long maxEjectionNanos,
    int maxEjectionPercent,
    int minHealthPercent,
    Object childConfig,
    String cluster,
    PoolLimits pool,
    int maxRequestsPerConnection,
    long idleTimeoutNanos) {

  private static final long MS = 1_000_000L;

  /**
   * Parses the policy's Struct. Errors read {@code <policy>: <field>: <value> (expected: ...)}:
   * grpc-xds puts them into the Cluster's NACK.
   */
  static ConfigOrError parse(Map<String, ?> raw) {
    try {
      ConfigOrError child = childPolicy(raw.get("childPolicy"));
      if (child.getError() != null) {
        return child;
      }
      return ConfigOrError.fromConfig(new OutlierEjectionConfig(
          count(raw, "consecutive5xx", 5, Integer.MAX_VALUE),
          count(raw, "consecutiveGatewayErrors", 0, Integer.MAX_VALUE),
          millis(raw, "intervalMs", 10_000, 1) * MS,
          millis(raw, "baseEjectionTimeMs", 30_000, 1) * MS,
          millis(raw, "maxEjectionTimeMs", 300_000, 0) * MS,
          count(raw, "maxEjectionPercent", 10, 100),
          count(raw, "minHealthPercent", 0, 100),
          child.getConfig(),
          text(raw, "cluster"),
          new PoolLimits(
              limit(raw, "maxRequests", 1),
              limit(raw, "maxPendingRequests", 0),
              limit(raw, "maxRetries", 0)),
          count(raw, "maxRequestsPerConnection", 0, Integer.MAX_VALUE),
          millis(raw, "idleTimeoutMs", 0, 0) * MS));
    } catch (IllegalArgumentException e) {
      return error(e.getMessage());
    }
  }

  /** The longest an endpoint stays ejected: Envoy's {@code max(base, max_ejection_time)}. */
  long ejectionCapNanos() {
    return Math.max(baseEjectionNanos, maxEjectionNanos);
  }

  private static ConfigOrError childPolicy(Object value) {
    List<Map<String, ?>> list;
    if (value == null) {
      list = List.of(Map.of("round_robin", Map.of()));
    } else if (value instanceof List<?> l && !l.isEmpty()
        && l.stream().allMatch(m -> m instanceof Map<?, ?>)) {
      @SuppressWarnings("unchecked")
      List<Map<String, ?>> maps = (List<Map<String, ?>>) l;
      list = maps;
    } else {
      return error("childPolicy: " + value
          + " (expected: a list of LB configs such as [{\"round_robin\": {}}])");
    }
    ConfigOrError parsed;
    try {
      parsed = GracefulSwitchLoadBalancer.parseLoadBalancingPolicyConfig(list);
    } catch (RuntimeException e) {
      return error("childPolicy: " + value + " (expected: a list of registered LB configs: "
          + e.getMessage() + ")");
    }
    if (parsed.getError() != null) {
      return error("childPolicy: " + value + " (expected: a list of registered LB configs: "
          + parsed.getError().getDescription() + ")");
    }
    return parsed;
  }

  private static String text(Map<String, ?> raw, String field) {
    Object value = raw.get(field);
    if (value == null) {
      return "";
    }
    if (!(value instanceof String s)) {
      throw new IllegalArgumentException(field + ": " + value + " (expected: a string)");
    }
    return s;
  }

  private static int limit(Map<String, ?> raw, String field, int min) {
    return (int) number(raw, field, PoolLimits.UNLIMITED, min, Integer.MAX_VALUE,
        "a whole number >= " + min + ", absent for no limit");
  }

  private static int count(Map<String, ?> raw, String field, int dflt, int max) {
    return (int) number(raw, field, dflt, 0, max,
        max == 100 ? "0..100" : "a whole number >= 0");
  }

  private static long millis(Map<String, ?> raw, String field, long dflt, long min) {
    return number(raw, field, dflt, min, Long.MAX_VALUE / MS,
        min == 0 ? "milliseconds >= 0" : "milliseconds > 0");
  }

  private static long number(Map<String, ?> raw, String field, long dflt, long min, long max,
      String expected) {
    Object value = raw.get(field);
    if (value == null) {
      return dflt;
    }
    if (!(value instanceof Number n)) {
      throw new IllegalArgumentException(field + ": '" + value + "' (expected: " + expected + ")");
    }
    double d = n.doubleValue();
    if (d != Math.rint(d) || d < min || d > max) {
      String shown = d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d)
          : Double.toString(d);
      throw new IllegalArgumentException(field + ": " + shown + " (expected: " + expected + ")");
    }
    return (long) d;
  }

  private static ConfigOrError error(String message) {
    return ConfigOrError.fromError(Status.INTERNAL.withDescription(
        MeshXdsNames.GRPC_OUTLIER_POLICY + ": " + message));
  }
}
