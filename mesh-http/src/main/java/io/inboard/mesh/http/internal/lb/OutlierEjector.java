package io.inboard.mesh.http.internal.lb;

import io.inboard.mesh.api.policy.OutlierDetectionPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Envoy's consecutive-5xx, consecutive-gateway-error and success-rate ejection for one
 * destination.
 *
 * <p>An endpoint that reaches a threshold is ejected for {@code baseEjectionTime} times the
 * number of times it has been ejected, capped at Envoy's default {@code max_ejection_time} of
 * 300 s (or the base time, if larger). That multiplier decays by one for each full
 * {@code interval} the endpoint spent back in rotation. No more than
 * {@link OutlierDetectionPolicy#maxEjected} endpoints are out at once. Ejected endpoints come back
 * lazily: the first pick after their time is up rebuilds the picker. Below {@code
 * minHealthPercent} of endpoints left in, the destination's picker ignores ejection (Envoy's
 * panic mode; see {@link EndpointSet}).
 *
 * <p>Success rate, when configured, is judged every {@code interval} as Envoy does, but driven
 * by traffic rather than a timer: the first try to finish after an interval is over runs the
 * sweep (success-rate needs a request volume in the interval anyway, so an idle destination
 * has nothing to judge).
 *
 * <p>All methods except {@link #shouldEject}, {@link #countsSuccessRate} and {@link #sweepDue}
 * run under the destination's lock.
 */
final class OutlierEjector {

  private static final long MAX_EJECTION_NANOS = Duration.ofSeconds(300).toNanos();

  private final OutlierDetectionPolicy policy;
  private final long baseNanos;
  private final long intervalNanos;
  private final long maxNanos;
  private final OutlierDetectionPolicy.SuccessRate successRate; // null: not configured
  private final AtomicLong nextSweepNanos;
  // told of each ejection (telemetry's counter); set before calls start
  volatile Runnable onEjection = () -> { };

  OutlierEjector(OutlierDetectionPolicy policy) {
    this(policy, System.nanoTime());
  }

  OutlierEjector(OutlierDetectionPolicy policy, long nowNanos) {
    this.policy = policy;
    this.baseNanos = policy.baseEjectionTime().toNanos();
    this.intervalNanos = policy.interval().toNanos();
    this.maxNanos = Math.max(MAX_EJECTION_NANOS, baseNanos);
    this.successRate = policy.successRate().orElse(null);
    this.nextSweepNanos = new AtomicLong(nowNanos + intervalNanos);
  }

  /**
   * Whether {@code healthy} endpoints left in of {@code total} put the destination in panic
   * (see {@link OutlierDetectionPolicy#inPanic(int, int, int)}).
   */
  boolean inPanic(int healthy, int total) {
    return policy.inPanic(healthy, total);
  }

  /** Whether tries must be counted for success-rate ejection. */
  boolean countsSuccessRate() {
    return successRate != null;
  }

  /** Whether an interval is over since the last sweep; one caller per interval wins. Lock-free. */
  boolean sweepDue(long nowNanos) {
    long due = nextSweepNanos.get();
    return nowNanos - due >= 0 && nextSweepNanos.compareAndSet(due, nowNanos + intervalNanos);
  }

  /**
   * Ejects the endpoints whose success rate over the interval just ended is below
   * {@code mean - stdevFactor / 1000 * stdev} of the endpoints with enough requests, if there
   * are {@code minimumHosts} of those; starts the next interval's counts.
   *
   * @return whether any endpoint was ejected
   */
  boolean sweepSuccessRate(List<EndpointState> endpoints, long nowNanos) {
    List<EndpointState> judged = new ArrayList<>();
    List<Double> rates = new ArrayList<>();
    for (EndpointState e : endpoints) {
      int tries = e.intervalTries.getAndSet(0);
      int failures = e.intervalFailures.getAndSet(0);
      if (!e.ejected && tries >= successRate.requestVolume()) {
        judged.add(e);
        rates.add(100.0 * (tries - failures) / tries);
      }
    }
    if (judged.size() < successRate.minimumHosts()) {
      return false;
    }
    double mean = rates.stream().mapToDouble(Double::doubleValue).average().orElse(100);
    double variance = rates.stream().mapToDouble(r -> (r - mean) * (r - mean)).sum()
        / rates.size();
    double threshold = mean - successRate.stdevFactor() / 1000.0 * Math.sqrt(variance);
    boolean changed = false;
    for (int i = 0; i < judged.size(); i++) {
      if (rates.get(i) < threshold) {
        changed |= eject(judged.get(i), endpoints, nowNanos);
      }
    }
    return changed;
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
    onEjection.run();
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
}
