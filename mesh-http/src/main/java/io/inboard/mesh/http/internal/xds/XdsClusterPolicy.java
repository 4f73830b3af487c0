package io.inboard.mesh.http.internal.xds;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.HttpProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.RoutingPriority;
import io.inboard.mesh.api.policy.ClientPolicy;
import io.inboard.mesh.api.policy.ConnectionPoolSettings;
import io.inboard.mesh.api.policy.LoadBalancerPolicy;
import io.inboard.mesh.api.policy.OutlierDetectionPolicy;
import io.inboard.mesh.http.internal.route.XdsRouteTable;
import java.time.Duration;
import java.util.Optional;

/**
 * A CDS Cluster as the destination-wide part of a {@link ClientPolicy}, over the client's own
 * layer (control plane first, then annotations and builder, then defaults).
 *
 * <ul>
 *   <li>{@code lb_policy}: ROUND_ROBIN, LEAST_REQUEST, RANDOM and RING_HASH (ring size from
 *       {@code ring_hash_lb_config.minimum_ring_size}, default 1024; the key from the route's
 *       {@code hash_policy}).
 *   <li>{@code circuit_breakers} (DEFAULT priority): max_connections, max_pending_requests,
 *       max_requests, max_retries. Unset thresholds are unlimited, as Istio sets them, not
 *       Envoy's 1024.
 *   <li>{@code outlier_detection}: Envoy's consecutive_5xx (default 5, enforced unless
 *       {@code enforcing_consecutive_5xx} is 0) and consecutive_gateway_failure (enforced only
 *       when {@code enforcing_consecutive_gateway_failure} is above 0, Envoy's default being 0),
 *       exactly; any enforcing percentage above 0 counts as 100. interval, base_ejection_time and
 *       max_ejection_percent as in Envoy. The failure-percentage rule Inboard's control plane
 *       adds for grpc-xds approximates the same consecutive rule, so with a consecutive rule it is
 *       not enforced twice, and on its own it is refused. Success-rate ejection as Envoy's:
 *       enforced unless {@code enforcing_success_rate} is 0 (Inboard's control plane sets 0, as
 *       Istio has no field for it), with success_rate_minimum_hosts (5), _request_volume (100)
 *       and _stdev_factor (1900).
 *   <li>{@code typed_extension_protocol_options} {@code
 *       envoy.extensions.upstreams.http.v3.HttpProtocolOptions}: its common options' {@code
 *       idle_timeout} (closes idle connections on the Netty transport) and {@code
 *       max_requests_per_connection} (both honoured by the Netty transport, not the JDK one).
 *   <li>{@code common_lb_config.healthy_panic_threshold} (Envoy's default 50 when absent; Istio
 *       sends its {@code minHealthPercent}, 0 when unset): with fewer endpoints left in than
 *       that share, picks ignore ejection, as Envoy's panic mode. Panic is about ejection only:
 *       EDS-unhealthy endpoints are never routable here.
 * </ul>
 */
final class XdsClusterPolicy {

  private static final String UPSTREAM_HTTP_OPTIONS =
      "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";

  private XdsClusterPolicy() {}

  /** The EDS service name of {@code c}: its own name unless the cluster names another. */
  static String edsName(Cluster c) {
    String n = c.getEdsClusterConfig().getServiceName();
    return n.isEmpty() ? c.getName() : n;
  }

  static ClientPolicy of(Cluster c, ClientPolicy client) {
    String field = "cluster '" + c.getName() + "'";
    if (c.getType() != Cluster.DiscoveryType.EDS) {
      throw new IllegalArgumentException(field + " type: " + c.getType() + " (expected: EDS)");
    }
    ClientPolicy.Builder b = ClientPolicy.builder();
    b.loadBalancer(switch (c.getLbPolicy()) {
      case ROUND_ROBIN -> LoadBalancerPolicy.ROUND_ROBIN;
      case LEAST_REQUEST -> new LoadBalancerPolicy.Simple(LoadBalancerPolicy.Simple.Kind.LEAST_REQUEST);
      case RANDOM -> new LoadBalancerPolicy.Simple(LoadBalancerPolicy.Simple.Kind.RANDOM);
      case RING_HASH -> new LoadBalancerPolicy.ConsistentHash(new LoadBalancerPolicy.HashKey.SourceIp(),
          c.getRingHashLbConfig().hasMinimumRingSize()
              ? (int) Math.min(1 << 23, c.getRingHashLbConfig().getMinimumRingSize().getValue())
              : 1024);
      default -> throw new IllegalArgumentException(field + " lb_policy: " + c.getLbPolicy()
          + " (expected: ROUND_ROBIN, LEAST_REQUEST, RANDOM or RING_HASH)");
    });
    if (c.hasCircuitBreakers() || c.hasConnectTimeout()
        || c.containsTypedExtensionProtocolOptions(UPSTREAM_HTTP_OPTIONS)) {
      b.connectionPool(pool(c));
    } else {
      client.connectionPool().ifPresent(b::connectionPool);
    }
    if (c.hasOutlierDetection()) {
      OutlierDetectionPolicy od = outlier(c.getOutlierDetection(), field + " outlier_detection");
      if (od != null) {
        b.outlierDetection(od.toBuilder().minHealthPercent(panicThreshold(c, field)).build());
      }
    } else {
      client.outlierDetection().ifPresent(b::outlierDetection);
    }
    client.circuitBreaker().ifPresent(b::circuitBreaker);
    client.timeout().ifPresent(b::timeout);
    client.retry().ifPresent(b::retry);
    return b.build();
  }

  /**
   * Envoy's {@code common_lb_config.healthy_panic_threshold}, rounded to a whole percent;
   * Envoy's default 50 when absent (Inboard's control plane always sets it, 0 unless Istio's
   * {@code minHealthPercent} says otherwise).
   */
  private static int panicThreshold(Cluster c, String field) {
    if (!c.hasCommonLbConfig() || !c.getCommonLbConfig().hasHealthyPanicThreshold()) {
      return 50;
    }
    double v = c.getCommonLbConfig().getHealthyPanicThreshold().getValue();
    if (!(v >= 0 && v <= 100)) {
      throw new IllegalArgumentException(field + " common_lb_config.healthy_panic_threshold: "
          + v + " (expected: a percent 0..100)");
    }
    return (int) Math.round(v);
  }

  private static ConnectionPoolSettings pool(Cluster c) {
    int conns = ConnectionPoolSettings.UNLIMITED;
    int pending = ConnectionPoolSettings.UNLIMITED;
    int requests = ConnectionPoolSettings.UNLIMITED;
    int retries = ConnectionPoolSettings.UNLIMITED;
    for (CircuitBreakers.Thresholds t : c.getCircuitBreakers().getThresholdsList()) {
      if (t.getPriority() != RoutingPriority.DEFAULT) {
        continue;
      }
      conns = t.hasMaxConnections() ? limit(t.getMaxConnections().getValue()) : conns;
      pending = t.hasMaxPendingRequests() ? limit(t.getMaxPendingRequests().getValue()) : pending;
      requests = t.hasMaxRequests() ? limit(t.getMaxRequests().getValue()) : requests;
      retries = t.hasMaxRetries() ? limitOrZero(t.getMaxRetries().getValue()) : retries;
    }
    Duration connect = c.hasConnectTimeout()
        ? Duration.ofNanos(XdsRouteTable.nanos(c.getConnectTimeout()))
        : ConnectionPoolSettings.DEFAULT.connectTimeout();
    HttpProtocolOptions common = commonHttpOptions(c);
    return new ConnectionPoolSettings(conns, pending, requests, retries, connect,
        common.hasMaxRequestsPerConnection() ? common.getMaxRequestsPerConnection().getValue()
            : 0,
        common.hasIdleTimeout()
            ? Optional.of(Duration.ofNanos(XdsRouteTable.nanos(common.getIdleTimeout())))
            : Optional.empty());
  }

  /** Envoy's common HTTP protocol options of {@code c}, as Istio sends them; default if none. */
  private static HttpProtocolOptions commonHttpOptions(Cluster c) {
    Any any = c.getTypedExtensionProtocolOptionsMap().get(UPSTREAM_HTTP_OPTIONS);
    if (any == null) {
      return HttpProtocolOptions.getDefaultInstance();
    }
    try {
      return any.unpack(io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions.class)
          .getCommonHttpProtocolOptions();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("cluster '" + c.getName()
          + "' typed_extension_protocol_options[" + UPSTREAM_HTTP_OPTIONS + "]: "
          + any.getTypeUrl() + " (expected: a " + UPSTREAM_HTTP_OPTIONS + ")", e);
    }
  }

  private static int limit(int v) {
    // uint32 in the proto: Istio's "unlimited" 4294967295 reads as -1
    return v <= 0 ? (v == 0 ? 1 : ConnectionPoolSettings.UNLIMITED) : v;
  }

  private static int limitOrZero(int v) {
    return v < 0 ? ConnectionPoolSettings.UNLIMITED : v;
  }

  private static OutlierDetectionPolicy outlier(io.envoyproxy.envoy.config.cluster.v3.OutlierDetection o,
      String field) {
    int c5xx = !o.hasEnforcingConsecutive5Xx() || o.getEnforcingConsecutive5Xx().getValue() > 0
        ? (o.hasConsecutive5Xx() ? o.getConsecutive5Xx().getValue() : 5) : 0;
    int cGateway = o.hasEnforcingConsecutiveGatewayFailure()
        && o.getEnforcingConsecutiveGatewayFailure().getValue() > 0
        ? (o.hasConsecutiveGatewayFailure() ? o.getConsecutiveGatewayFailure().getValue() : 5) : 0;
    // Envoy enforces success-rate ejection unless told not to (Inboard's control plane does)
    boolean successRate = !o.hasEnforcingSuccessRate() || o.getEnforcingSuccessRate().getValue() > 0;
    boolean failurePercent = o.hasEnforcingFailurePercentage()
        && o.getEnforcingFailurePercentage().getValue() > 0;
    if (c5xx == 0 && cGateway == 0 && !successRate) {
      if (failurePercent) {
        throw new IllegalArgumentException(field + ": failure-percentage ejection without a"
            + " consecutive-error or success-rate rule (expected: consecutive_5xx,"
            + " consecutive_gateway_failure or success-rate)");
      }
      return null;
    }
    Duration interval = o.hasInterval()
        ? Duration.ofNanos(XdsRouteTable.nanos(o.getInterval())) : Duration.ofSeconds(10);
    Duration base = o.hasBaseEjectionTime()
        ? Duration.ofNanos(XdsRouteTable.nanos(o.getBaseEjectionTime())) : Duration.ofSeconds(30);
    int maxPercent = o.hasMaxEjectionPercent() ? o.getMaxEjectionPercent().getValue() : 10;
    OutlierDetectionPolicy od =
        new OutlierDetectionPolicy(c5xx, cGateway, interval, base, Math.min(100, maxPercent),
            Optional.empty());
    if (!successRate) {
      return od;
    }
    OutlierDetectionPolicy.SuccessRate d = OutlierDetectionPolicy.SuccessRate.DEFAULT;
    try {
      return od.toBuilder().successRate(new OutlierDetectionPolicy.SuccessRate(
          o.hasSuccessRateMinimumHosts() ? o.getSuccessRateMinimumHosts().getValue()
              : d.minimumHosts(),
          o.hasSuccessRateRequestVolume() ? o.getSuccessRateRequestVolume().getValue()
              : d.requestVolume(),
          o.hasSuccessRateStdevFactor() ? o.getSuccessRateStdevFactor().getValue()
              : d.stdevFactor())).build();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(field + ": " + e.getMessage(), e);
    }
  }
}
