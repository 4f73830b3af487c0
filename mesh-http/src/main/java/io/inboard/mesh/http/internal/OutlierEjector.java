package io.inboard.mesh.http.internal;

import io.inboard.mesh.api.policy.OutlierDetection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Envoy's consecutive-5xx and consecutive-gateway-error ejection for one destination.
 *
 * <p>An endpoint that reaches a threshold is ejected for {@code baseEjectionTime} times the
 * number of times it has been ejected, capped at Envoy's default {@code max_ejection_time} of
 * 300 s (or the base time, if larger). That multiplier decays by one for each full
 * {@code interval} the endpoint spent back in rotation. No more than
 * {@link OutlierDetection#maxEjected} endpoints are out at once. Ejected endpoints come back
 * lazily: the first pick after their time is up rebuilds the picker.
 *
 * <p>All methods except {@link #shouldEject} run under the destination's lock.
 *
 * <p>{@link #successRateOutliers} computes Envoy's success-rate rule for one interval; it is not
 * enforced yet: that needs per-endpoint success and call counts per interval, an evaluation at
 * each interval's end and success-rate settings in the policy, so {@link XdsClusterPolicy} still
 * refuses success-rate ejection on its own.
 */
final class OutlierEjector {

  private static final long MAX_EJECTION_NANOS = Duration.ofSeconds(300).toNanos();

  private final OutlierDetection policy;
  private final long baseNanos;
  private final long intervalNanos;
  private final long maxNanos;

  OutlierEjector(OutlierDetection policy) {
    this.policy = policy;
    this.baseNanos = policy.baseEjectionTime().toNanos();
    this.intervalNanos = policy.interval().toNanos();
    this.maxNanos = Math.max(MAX_EJECTION_NANOS, baseNanos);
  }

  /** Whether {@code endpoint}'s current streak has reached a threshold. Lock-free. */
  boolean shouldEject(EndpointState endpoint) {
    int c5xx = policy.consecutive5xxErrors();
    int cGateway = policy.consecutiveGatewayErrors();
    return (c5xx > 0 && endpoint.consecutive5xx.get() >= c5xx)
        || (cGateway > 0 && endpoint.consecutiveGatewayErrors.get() >= cGateway);
  }

  /**
   * Ejects {@code endpoint} unless it is already out or the ejection limit is reached.
   *
   * @param endpoints every routable endpoint of the destination, ejected or not
   * @return whether the endpoint was ejected
   */
  boolean eject(EndpointState endpoint, List<EndpointState> endpoints, long nowNanos) {
    if (endpoint.ejected) {
      return false;
    }
    int ejectedNow = 0;
    for (EndpointState e : endpoints) {
      if (e.ejected) {
        ejectedNow++;
      }
    }
    if (ejectedNow >= policy.maxEjected(endpoints.size())) {
      return false;
    }
    int times = endpoint.timesEjected;
    if (times > 0) {
      long healthyIntervals = (nowNanos - endpoint.readmittedAtNanos) / intervalNanos;
      times = (int) Math.max(0, times - healthyIntervals);
    }
    times++;
    endpoint.timesEjected = times;
    long duration = baseNanos > maxNanos / times ? maxNanos : Math.min(maxNanos, baseNanos * times);
    endpoint.ejectedUntilNanos = nowNanos + duration;
    endpoint.ejected = true;
    endpoint.consecutive5xx.set(0);
    endpoint.consecutiveGatewayErrors.set(0);
    return true;
  }

  /** Readmits every endpoint whose ejection is over; returns whether any came back. */
  static boolean readmitDue(List<EndpointState> endpoints, long nowNanos) {
    boolean changed = false;
    for (EndpointState e : endpoints) {
      if (e.ejected && nowNanos - e.ejectedUntilNanos >= 0) {
        e.ejected = false;
        e.readmittedAtNanos = nowNanos;
        e.consecutive5xx.set(0);
        e.consecutiveGatewayErrors.set(0);
        changed = true;
      }
    }
    return changed;
  }

  /**
   * Envoy's success-rate rule ({@code success_rate_*} in {@code outlier_detection}).
   *
   * @param minimumHosts hosts that must reach {@code requestVolume} in an interval for the rule
   *     to run at all (Envoy's default 5)
   * @param requestVolume calls a host must receive in the interval to be counted (default 100)
   * @param stdevFactor how far below the mean, in thousandths of the standard deviation, a
   *     host's success rate must be to eject it (default 1900, that is 1.9 standard deviations)
   */
  record SuccessRate(int minimumHosts, int requestVolume, int stdevFactor) {
    /** Envoy's defaults. */
    static final SuccessRate DEFAULT = new SuccessRate(5, 100, 1900);

    SuccessRate {
      if (minimumHosts < 0 || requestVolume < 0 || stdevFactor < 0) {
        throw new IllegalArgumentException("success rate: minimum hosts " + minimumHosts
            + ", request volume " + requestVolume + ", stdev factor " + stdevFactor
            + " (expected: >= 0)");
      }
    }
  }

  /**
   * The hosts Envoy's success-rate rule ejects at the end of one interval, given each host's
   * successes and calls in it. Only hosts with at least {@code requestVolume} calls count; with
   * fewer than {@code minimumHosts} such hosts nothing is ejected. Of the counted hosts, those
   * whose success rate (percent) is below {@code mean - stdevFactor / 1000 * stdev} (population
   * standard deviation over the counted hosts) are returned, in {@code hosts}' order. Whether
   * each is then ejected is up to the ejection limit, as for consecutive errors.
   */
  static <T> List<T> successRateOutliers(List<T> hosts, ToLongFunction<T> successes,
      ToLongFunction<T> calls, SuccessRate rule) {
    List<T> counted = new ArrayList<>();
    List<Double> rates = new ArrayList<>();
    for (T h : hosts) {
      long n = calls.applyAsLong(h);
      if (n > 0 && n >= rule.requestVolume()) {
        counted.add(h);
        rates.add(100.0 * successes.applyAsLong(h) / n);
      }
    }
    if (counted.isEmpty() || counted.size() < rule.minimumHosts()) {
      return List.of();
    }
    double sum = 0;
    for (double r : rates) {
      sum += r;
    }
    double mean = sum / rates.size();
    double squares = 0;
    for (double r : rates) {
      squares += (r - mean) * (r - mean);
    }
    double stdev = Math.sqrt(squares / rates.size());
    double threshold = mean - rule.stdevFactor() / 1000.0 * stdev;
    List<T> out = new ArrayList<>();
    for (int i = 0; i < counted.size(); i++) {
      if (rates.get(i) < threshold) {
        out.add(counted.get(i));
      }
    }
    return out;
  }
}
