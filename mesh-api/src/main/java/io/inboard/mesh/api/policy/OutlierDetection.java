package io.inboard.mesh.api.policy;

import java.time.Duration;

/**
 * Passive health checking: endpoints that keep failing are ejected from load balancing for a
 * while. Mirrors Istio's {@code OutlierDetection} and Envoy's ejection rules: an endpoint is
 * ejected after {@code consecutive5xxErrors} consecutive 5xx (or connect failures), or
 * {@code consecutiveGatewayErrors} consecutive 502/503/504; it stays out for
 * {@code baseEjectionTime} times the number of times it has been ejected; and no more than
 * {@code maxEjectionPercent} of endpoints are out at once, though at least one may always be.
 *
 * @param consecutive5xxErrors consecutive 5xx before ejection; {@code 0} disables (default 5)
 * @param consecutiveGatewayErrors consecutive gateway errors before ejection; {@code 0}
 *     disables (default 0)
 * @param interval how often ejections are re-evaluated (default 10 s)
 * @param baseEjectionTime the minimum ejection time (default 30 s)
 * @param maxEjectionPercent the most endpoints ejected at once, in percent (default 10)
 */
public record OutlierDetection(
    int consecutive5xxErrors, int consecutiveGatewayErrors, Duration interval,
    Duration baseEjectionTime, int maxEjectionPercent) {

  /** Istio's defaults. */
  public static final OutlierDetection DEFAULT =
      new OutlierDetection(5, 0, Duration.ofSeconds(10), Duration.ofSeconds(30), 10);

  public OutlierDetection {
    if (consecutive5xxErrors < 0) {
      throw new IllegalArgumentException(
          "outlierDetection.consecutive5xxErrors: " + consecutive5xxErrors + " (expected: >= 0)");
    }
    if (consecutiveGatewayErrors < 0) {
      throw new IllegalArgumentException("outlierDetection.consecutiveGatewayErrors: "
          + consecutiveGatewayErrors + " (expected: >= 0)");
    }
    Durations.requirePositive("outlierDetection.interval", interval);
    Durations.requirePositive("outlierDetection.baseEjectionTime", baseEjectionTime);
    if (maxEjectionPercent < 0 || maxEjectionPercent > 100) {
      throw new IllegalArgumentException("outlierDetection.maxEjectionPercent: "
          + maxEjectionPercent + " (expected: 0..100)");
    }
  }

  /**
   * How many of {@code endpointCount} endpoints may be ejected at once: {@code
   * maxEjectionPercent} of them rounded down, but at least one, as in Envoy.
   */
  public int maxEjected(int endpointCount) {
    if (endpointCount == 0 || maxEjectionPercent == 0) {
      return 0;
    }
    return Math.max(1, endpointCount * maxEjectionPercent / 100);
  }
}
