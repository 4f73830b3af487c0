package io.inboard.mesh.http.internal.resilience;

import io.inboard.mesh.api.policy.ClientPolicy;
import io.inboard.mesh.api.policy.LoadBalancerPolicy.HashKey;
import io.inboard.mesh.api.policy.RetryPolicy;

/**
 * The per-call part of a policy, resolved once when a client, an interface method or (in xDS
 * mode) a route is created.
 *
 * @param timeoutNanos the overall timeout covering every try, or {@code 0} for none
 * @param retry the retry policy
 * @param routeHashes whether the hash key comes from the route ({@code hashKey}) rather than
 *     from the destination's load balancer policy, as xDS routes' {@code hash_policy} does
 * @param hashKey the route's hash key, or {@code null} for a random hash (only with
 *     {@code routeHashes})
 */
public record CallPolicy(long timeoutNanos, RetryPolicy retry, boolean routeHashes, HashKey hashKey) {

  public CallPolicy(long timeoutNanos, RetryPolicy retry) {
    this(timeoutNanos, retry, false, null);
  }

  /**
   * This policy with the caller's own overall timeout as well: the earlier of the two applies
   * ({@code callerTimeoutNanos} 0: none, this policy unchanged).
   */
  public CallPolicy withCallerTimeout(long callerTimeoutNanos) {
    if (callerTimeoutNanos <= 0 || (timeoutNanos > 0 && timeoutNanos <= callerTimeoutNanos)) {
      return this;
    }
    return new CallPolicy(callerTimeoutNanos, retry, routeHashes, hashKey);
  }

  public static CallPolicy of(ClientPolicy effective) {
    return new CallPolicy(effective.timeout().map(d -> d.toNanos()).orElse(0L),
        effective.retry().orElse(RetryPolicy.NONE));
  }
}
