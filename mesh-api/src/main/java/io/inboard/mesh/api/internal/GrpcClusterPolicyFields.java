package io.inboard.mesh.api.internal;

import io.inboard.mesh.api.policy.ConnectionPoolSettings;
import io.inboard.mesh.api.policy.OutlierDetectionPolicy;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fields of Inboard's gRPC cluster policy ({@link MeshXdsNames#GRPC_OUTLIER_POLICY}, see
 * "gRPC cluster policy" there) for a DestinationRule's outlier detection and connection pool,
 * in service-config JSON form: numbers are {@link Double}s, {@code cluster} a string;
 * {@code childPolicy} is the caller's to add. The control plane turns them into the
 * TypedStruct's Struct; Kubernetes-mode gRPC channels put them in their service config.
 */
public final class GrpcClusterPolicyFields {
  /** Envoy's default cap on how long an ejection lasts, 300 s, in milliseconds. */
  static final long MAX_EJECTION_MILLIS = 300_000;

  private GrpcClusterPolicyFields() {}

  /**
   * The fields for {@code od} (null: ejection off, both consecutive counts 0) and {@code cp}
   * (null: no limits), naming {@code cluster} ({@code ""}: the calls' limits are applied
   * elsewhere, and no metrics are labelled).
   */
  public static Map<String, Object> of(String cluster, OutlierDetectionPolicy od,
      ConnectionPoolSettings cp) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("cluster", cluster);
    if (cp != null) {
      limit(f, "maxRequests", cp.maxRequests());
      limit(f, "maxPendingRequests", cp.maxPendingRequests());
      limit(f, "maxRetries", cp.maxRetries());
      if (cp.maxRequestsPerConnection() > 0) {
        f.put("maxRequestsPerConnection", (double) cp.maxRequestsPerConnection());
      }
      cp.idleTimeout().filter(t -> !t.isZero())
          .ifPresent(t -> f.put("idleTimeoutMs", (double) Math.max(1, t.toMillis())));
    }
    OutlierDetectionPolicy o = od != null ? od : OutlierDetectionPolicy.DEFAULT;
    long base = o.baseEjectionTime().toMillis();
    f.put("consecutive5xx", od == null ? 0.0 : od.consecutive5xxErrors());
    f.put("consecutiveGatewayErrors", od == null ? 0.0 : od.consecutiveGatewayErrors());
    f.put("intervalMs", (double) o.interval().toMillis());
    f.put("baseEjectionTimeMs", (double) base);
    f.put("maxEjectionTimeMs", (double) Math.max(base, MAX_EJECTION_MILLIS));
    f.put("maxEjectionPercent", (double) o.maxEjectionPercent());
    f.put("minHealthPercent", (double) o.minHealthPercent());
    return f;
  }

  /** Whether {@code cp} limits connections themselves (calls per connection, idle time). */
  public static boolean limitsConnections(ConnectionPoolSettings cp) {
    return cp.maxRequestsPerConnection() > 0
        || cp.idleTimeout().filter(t -> !t.isZero()).isPresent();
  }

  private static void limit(Map<String, Object> f, String field, int value) {
    if (value != ConnectionPoolSettings.UNLIMITED) {
      f.put(field, (double) value);
    }
  }
}
