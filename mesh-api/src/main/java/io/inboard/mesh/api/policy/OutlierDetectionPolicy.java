package io.inboard.mesh.api.policy;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;

/**
 * Passive health checking: endpoints that keep failing are ejected from load balancing for a
 * while. Mirrors Istio's {@code OutlierDetection} and Envoy's ejection rules: an endpoint is
 * ejected after {@code consecutive5xxErrors} consecutive 5xx (or connect failures), or
 * {@code consecutiveGatewayErrors} consecutive 502/503/504; it stays out for
 * {@code baseEjectionTime} times the number of times it has been ejected; no more than
 * {@code maxEjectionPercent} of endpoints are out at once, though at least one may always be;
 * and when fewer than {@code minHealthPercent} of the endpoints are left in, calls go to all of
 * them, ejected or not (Envoy's panic mode, see {@link #inPanic}).
 *
 * <p>Build one with {@link #builder()}, which starts from Istio's defaults:
 *
 * <pre>{@code
 * OutlierDetectionPolicy od = OutlierDetectionPolicy.builder()
 *     .consecutive5xxErrors(3).baseEjectionTime(Duration.ofSeconds(10)).build();
 * }</pre>
 *
 * @param consecutive5xxErrors consecutive 5xx before ejection; {@code 0} disables (default 5)
 * @param consecutiveGatewayErrors consecutive gateway errors before ejection; {@code 0}
 *     disables (default 0)
 * @param interval how often ejections are re-evaluated (default 10 s)
 * @param baseEjectionTime the minimum ejection time (default 30 s)
 * @param maxEjectionPercent the most endpoints ejected at once, in percent (default 10)
 * @param successRate Envoy's success-rate ejection, evaluated every {@code interval} (default:
 *     none; Istio's DestinationRule has no field for it, only raw xDS asks for it)
 * @param minHealthPercent below this share of endpoints left in, in percent 0..100, ejection is
 *     ignored and calls go to every endpoint (Istio's {@code minHealthPercent}, Envoy's {@code
 *     healthy_panic_threshold}); {@code 0} never (default 0, as Istio: unset means 0)
 */
public record OutlierDetectionPolicy(
    int consecutive5xxErrors, int consecutiveGatewayErrors, Duration interval,
    Duration baseEjectionTime, int maxEjectionPercent, Optional<SuccessRate> successRate,
    int minHealthPercent) {

  /** Istio's defaults: what {@link #builder()} starts from. */
  public static final OutlierDetectionPolicy DEFAULT = builder().build();

  /**
   * Envoy's success-rate ejection: every interval, among the endpoints that served at least
   * {@code requestVolume} requests in it, and only when there are at least {@code minimumHosts}
   * of those, an endpoint whose success rate is below {@code mean - stdevFactor / 1000 * stdev}
   * is ejected.
   *
   * @param minimumHosts endpoints with enough requests needed to judge (Envoy's default 5)
   * @param requestVolume requests in the interval for an endpoint to count (default 100)
   * @param stdevFactor the threshold's distance below the mean, in thousandths of a standard
   *     deviation (default 1900, i.e. 1.9)
   */
  public record SuccessRate(int minimumHosts, int requestVolume, int stdevFactor) {

    /** Envoy's defaults. */
    public static final SuccessRate DEFAULT = new SuccessRate(5, 100, 1900);

    public SuccessRate {
      if (minimumHosts < 1) {
        throw new IllegalArgumentException("outlierDetection.successRate.minimumHosts: "
            + minimumHosts + " (expected: >= 1)");
      }
      if (requestVolume < 1) {
        throw new IllegalArgumentException("outlierDetection.successRate.requestVolume: "
            + requestVolume + " (expected: >= 1)");
      }
      if (stdevFactor < 0) {
        throw new IllegalArgumentException("outlierDetection.successRate.stdevFactor: "
            + stdevFactor + " (expected: >= 0)");
      }
    }
  }

  public OutlierDetectionPolicy {
    requireNonNull(successRate, "successRate");
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
    if (minHealthPercent < 0 || minHealthPercent > 100) {
      throw new IllegalArgumentException("outlierDetection.minHealthPercent: "
          + minHealthPercent + " (expected: 0..100)");
    }
  }

  /** A policy that never panics ({@code minHealthPercent} 0): the form before that field. */
  public OutlierDetectionPolicy(int consecutive5xxErrors, int consecutiveGatewayErrors,
      Duration interval, Duration baseEjectionTime, int maxEjectionPercent,
      Optional<SuccessRate> successRate) {
    this(consecutive5xxErrors, consecutiveGatewayErrors, interval, baseEjectionTime,
        maxEjectionPercent, successRate, 0);
  }

  /** Starts from Istio's defaults (see each setter). */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this policy's values. */
  public Builder toBuilder() {
    return new Builder().consecutive5xxErrors(consecutive5xxErrors)
        .consecutiveGatewayErrors(consecutiveGatewayErrors).interval(interval)
        .baseEjectionTime(baseEjectionTime).maxEjectionPercent(maxEjectionPercent)
        .successRate(successRate.orElse(null)).minHealthPercent(minHealthPercent);
  }

  /** Whether {@code healthy} of {@code total} endpoints put this policy in panic. */
  public boolean inPanic(int healthy, int total) {
    return inPanic(healthy, total, minHealthPercent);
  }

  /**
   * Envoy's panic rule for one priority ({@code load_balancer_impl.cc}), the one rule both data
   * planes follow: with {@code healthy} of {@code total} endpoints not ejected, calls ignore
   * ejection when the healthy share is below {@code minHealthPercent}. As in Envoy, a priority
   * whose healthy share times the overprovisioning factor 1.4 still covers all load is never in
   * panic (this only matters for thresholds above 71 %). {@code 0} turns panic off; an empty
   * set is never in panic (there is nothing to pick either way).
   */
  public static boolean inPanic(int healthy, int total, int minHealthPercent) {
    if (minHealthPercent == 0 || total == 0 || 140L * healthy >= 100L * total) {
      return false;
    }
    return 100L * healthy < (long) minHealthPercent * total;
  }

  /**
   * How many of {@code endpointCount} endpoints may be ejected at once: {@code
   * maxEjectionPercent} of them rounded down, but at least one, as in Envoy.
   */
  public int maxEjected(int endpointCount) {
    return maxEjected(endpointCount, maxEjectionPercent);
  }

  /**
   * How many of {@code endpointCount} endpoints may be ejected at once under {@code
   * maxEjectionPercent}: that share, rounded down, but at least one (none at 0 %). The one rule
   * both data planes count by.
   */
  public static int maxEjected(int endpointCount, int maxEjectionPercent) {
    if (endpointCount == 0 || maxEjectionPercent == 0) {
      return 0;
    }
    return Math.max(1, endpointCount * maxEjectionPercent / 100);
  }

  /** Builds an {@link OutlierDetectionPolicy}; values are checked by {@link #build()}. */
  public static final class Builder {
    private int consecutive5xxErrors = 5;
    private int consecutiveGatewayErrors;
    private Duration interval = Duration.ofSeconds(10);
    private Duration baseEjectionTime = Duration.ofSeconds(30);
    private int maxEjectionPercent = 10;
    private SuccessRate successRate;
    private int minHealthPercent;

    private Builder() {}

    /** Consecutive 5xx (or connect failures) before ejection; {@code 0} disables (default 5). */
    public Builder consecutive5xxErrors(int count) {
      this.consecutive5xxErrors = count;
      return this;
    }

    /** Consecutive 502/503/504 before ejection; {@code 0} disables (default 0). */
    public Builder consecutiveGatewayErrors(int count) {
      this.consecutiveGatewayErrors = count;
      return this;
    }

    /** How often ejections are re-evaluated (default 10 s). */
    public Builder interval(Duration interval) {
      this.interval = requireNonNull(interval, "interval");
      return this;
    }

    /** The minimum ejection time, multiplied by the number of ejections (default 30 s). */
    public Builder baseEjectionTime(Duration baseEjectionTime) {
      this.baseEjectionTime = requireNonNull(baseEjectionTime, "baseEjectionTime");
      return this;
    }

    /** The most endpoints ejected at once, in percent, 0..100 (default 10). */
    public Builder maxEjectionPercent(int percent) {
      this.maxEjectionPercent = percent;
      return this;
    }

    /**
     * Below this share of endpoints left in, in percent 0..100, calls ignore ejection (Envoy's
     * panic threshold); {@code 0} never (default 0, Istio's).
     */
    public Builder minHealthPercent(int percent) {
      this.minHealthPercent = percent;
      return this;
    }

    /** Also ejects by success rate; {@code null} for none (default: none). */
    public Builder successRate(SuccessRate rule) {
      this.successRate = rule;
      return this;
    }

    /**
     * The policy.
     *
     * @throws IllegalArgumentException naming the field, its value and what was expected
     */
    public OutlierDetectionPolicy build() {
      return new OutlierDetectionPolicy(consecutive5xxErrors, consecutiveGatewayErrors, interval,
          baseEjectionTime, maxEjectionPercent, Optional.ofNullable(successRate),
          minHealthPercent);
    }
  }
}
