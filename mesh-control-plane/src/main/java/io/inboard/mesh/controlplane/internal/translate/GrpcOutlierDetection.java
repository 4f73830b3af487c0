package io.inboard.mesh.controlplane.internal.translate;

import com.google.protobuf.UInt32Value;
import io.inboard.mesh.api.policy.OutlierDetectionPolicy;

/**
 * Istio's consecutive-error ejection, translated into what grpc-xds enforces.
 *
 * <p>grpc-xds implements outlier detection per gRFC A50: success-rate and failure-percentage
 * ejection only; it ignores Envoy's {@code consecutive_5xx} and {@code
 * consecutive_gateway_failure}. So {@code consecutive5xxErrors: N} (and {@code
 * consecutiveGatewayErrors}, the smaller positive of the two winning) becomes failure-percentage
 * ejection with a request volume of N, one host minimum (A50's default of 5 would disable it for
 * small services) and a threshold of 99%: grpc-java ejects only when the failure rate is strictly
 * above the threshold ({@code OutlierDetectionLoadBalancer}), so 100 would never eject.
 *
 * <p>The consecutive fields are still sent: grpc-xds ignores them, and an Envoy-compatible
 * consumer enforces them exactly; for such a consumer the added rule is nearly redundant, since
 * N calls in an interval that all failed are N consecutive failures.
 */
public final class GrpcOutlierDetection {
  /** grpc-java ejects when the failure rate is above this, in percent. */
  static final int FAILURE_THRESHOLD = 99;

  private GrpcOutlierDetection() {}

  /**
   * The calls an endpoint must receive in one interval before it may be ejected: the smaller
   * positive of {@code consecutive5xxErrors} and {@code consecutiveGatewayErrors}, or 0 when both
   * are 0 (no consecutive-error ejection asked for).
   */
  static int requestVolume(OutlierDetectionPolicy od) {
    int fiveXx = od.consecutive5xxErrors();
    int gateway = od.consecutiveGatewayErrors();
    if (fiveXx == 0 || gateway == 0) {
      return Math.max(fiveXx, gateway);
    }
    return Math.min(fiveXx, gateway);
  }

  static io.envoyproxy.envoy.config.cluster.v3.OutlierDetection translate(OutlierDetectionPolicy od) {
    int volume = requestVolume(od);
    io.envoyproxy.envoy.config.cluster.v3.OutlierDetection.Builder b =
        io.envoyproxy.envoy.config.cluster.v3.OutlierDetection.newBuilder()
            .setConsecutive5Xx(UInt32Value.of(od.consecutive5xxErrors()))
            .setEnforcingConsecutive5Xx(UInt32Value.of(od.consecutive5xxErrors() > 0 ? 100 : 0))
            .setConsecutiveGatewayFailure(UInt32Value.of(od.consecutiveGatewayErrors()))
            .setEnforcingConsecutiveGatewayFailure(
                UInt32Value.of(od.consecutiveGatewayErrors() > 0 ? 100 : 0))
            .setInterval(Protos.duration(od.interval()))
            .setBaseEjectionTime(Protos.duration(od.baseEjectionTime()))
            .setMaxEjectionPercent(UInt32Value.of(od.maxEjectionPercent()))
            // grpc-xds enables success-rate ejection unless told not to; Istio never asks for it
            .setEnforcingSuccessRate(UInt32Value.of(0))
            // and failure-percentage ejection too: 0 switches it off when nothing is asked for
            .setEnforcingFailurePercentage(UInt32Value.of(volume > 0 ? 100 : 0));
    if (volume > 0) {
      b.setFailurePercentageThreshold(UInt32Value.of(FAILURE_THRESHOLD))
          .setFailurePercentageRequestVolume(UInt32Value.of(volume))
          .setFailurePercentageMinimumHosts(UInt32Value.of(1));
    }
    return b.build();
  }

  /**
   * Why gRPC clients only approximate {@code field} ({@code consecutive5xxErrors}, its deprecated
   * spelling {@code consecutiveErrors}, or {@code consecutiveGatewayErrors}) set to a positive
   * {@code value} in {@code od}: the text of the WARNING the DestinationRule parser reports on
   * that field.
   */
  public static String approximationWarning(String field, int value, OutlierDetectionPolicy od) {
    int n = requestVolume(od);
    return "gRPC clients have no consecutive-error ejection; " + field + ": " + value
        + " is enforced as failure-percentage ejection: an endpoint is ejected when it received"
        + " at least " + n + " calls in one interval (" + od.interval().toMillis() + " ms) and"
        + " more than " + FAILURE_THRESHOLD + "% of them failed (with up to 100 calls, all of"
        + " them). That implies " + n + " consecutive failures, but " + n + " consecutive"
        + " failures among successes in the same interval do not eject; and every non-OK gRPC"
        + " status counts as a failure, not only those that map to HTTP 5xx (or 502/503/504)";
  }
}
