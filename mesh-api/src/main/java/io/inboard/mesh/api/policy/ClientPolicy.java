package io.inboard.mesh.api.policy;

import java.time.Duration;
import java.util.Optional;

/**
 * The resilience policy a client applies to calls to one service. Every field is optional so
 * that policies from several sources can be layered with {@link #orElse}: a field set in a
 * higher layer wins, field by field.
 *
 * <p>The layers, highest first: policy from the control plane (a VirtualService or
 * DestinationRule), then the client's annotations or builder, then {@link #DEFAULTS}.
 *
 * @param timeout the overall timeout of a call including retries
 * @param retry the retry policy
 * @param loadBalancer the load-balancing policy
 * @param connectionPool connection-pool limits
 * @param outlierDetection passive ejection of failing endpoints
 * @param circuitBreaker the failure-rate circuit breaker
 */
public record ClientPolicy(
    Optional<Duration> timeout,
    Optional<RetryPolicy> retry,
    Optional<LoadBalancerPolicy> loadBalancer,
    Optional<ConnectionPoolSettings> connectionPool,
    Optional<OutlierDetectionPolicy> outlierDetection,
    Optional<CircuitBreakerPolicy> circuitBreaker) {

  /** A policy that sets nothing. */
  public static final ClientPolicy EMPTY = new ClientPolicy(Optional.empty(), Optional.empty(),
      Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

  /**
   * Inboard's defaults: no overall timeout, no retries, round robin, no connection limits, no
   * outlier detection and no circuit breaker. Like Istio these are off until configured, except
   * that Istio's implicit two retries are opt-in here (use {@link RetryPolicy#ISTIO_DEFAULT}).
   */
  public static final ClientPolicy DEFAULTS = new ClientPolicy(Optional.empty(),
      Optional.of(RetryPolicy.NONE), Optional.of(LoadBalancerPolicy.ROUND_ROBIN),
      Optional.of(ConnectionPoolSettings.DEFAULT), Optional.empty(), Optional.empty());

  public ClientPolicy {
    timeout.ifPresent(t -> Durations.requirePositive("timeout", t));
  }

  /** Starts a policy; unset fields stay empty. */
  public static Builder builder() {
    return new Builder();
  }

  /** This policy, with each field it leaves empty taken from {@code lower}. */
  public ClientPolicy orElse(ClientPolicy lower) {
    return new ClientPolicy(
        timeout.or(lower::timeout),
        retry.or(lower::retry),
        loadBalancer.or(lower::loadBalancer),
        connectionPool.or(lower::connectionPool),
        outlierDetection.or(lower::outlierDetection),
        circuitBreaker.or(lower::circuitBreaker));
  }

  /** Builds a {@link ClientPolicy}. */
  public static final class Builder {
    private Duration timeout;
    private RetryPolicy retry;
    private LoadBalancerPolicy loadBalancer;
    private ConnectionPoolSettings connectionPool;
    private OutlierDetectionPolicy outlierDetection;
    private CircuitBreakerPolicy circuitBreaker;

    private Builder() {}

    /** The overall timeout of a call, retries included. */
    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    public Builder retry(RetryPolicy retry) {
      this.retry = retry;
      return this;
    }

    public Builder loadBalancer(LoadBalancerPolicy loadBalancer) {
      this.loadBalancer = loadBalancer;
      return this;
    }

    public Builder connectionPool(ConnectionPoolSettings connectionPool) {
      this.connectionPool = connectionPool;
      return this;
    }

    public Builder outlierDetection(OutlierDetectionPolicy outlierDetection) {
      this.outlierDetection = outlierDetection;
      return this;
    }

    public Builder circuitBreaker(CircuitBreakerPolicy circuitBreaker) {
      this.circuitBreaker = circuitBreaker;
      return this;
    }

    public ClientPolicy build() {
      return new ClientPolicy(Optional.ofNullable(timeout), Optional.ofNullable(retry),
          Optional.ofNullable(loadBalancer), Optional.ofNullable(connectionPool),
          Optional.ofNullable(outlierDetection), Optional.ofNullable(circuitBreaker));
    }
  }
}
