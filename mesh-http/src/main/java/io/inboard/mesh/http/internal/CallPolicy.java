package io.inboard.mesh.http.internal;

import io.inboard.mesh.api.policy.ClientPolicy;
import io.inboard.mesh.api.policy.RetryPolicy;

/**
 * The per-call part of a policy, resolved once when a client or an interface method is
 * created.
 *
 * @param timeoutNanos the overall timeout covering every try, or {@code 0} for none
 * @param retry the retry policy
 */
record CallPolicy(long timeoutNanos, RetryPolicy retry) {

  static CallPolicy of(ClientPolicy effective) {
    return new CallPolicy(effective.timeout().map(d -> d.toNanos()).orElse(0L),
        effective.retry().orElse(RetryPolicy.NONE));
  }
}
