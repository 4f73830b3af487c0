package io.inboard.mesh.http.internal.route;

import io.inboard.mesh.api.internal.RetryOnText;
import io.inboard.mesh.api.policy.RetryOn;
import io.inboard.mesh.api.policy.RetryPolicy;
import java.time.Duration;

/**
 * An Envoy route {@code retry_policy} in the policy model: {@code num_retries} (Envoy's default
 * 1), {@code per_try_timeout}, {@code retry_on} plus {@code retriable_status_codes}, and
 * {@code retry_back_off} (default 25 ms, capped at 10 times the base). gRPC status names in
 * {@code retry_on} apply to gRPC responses only, so they retry nothing here. A retry goes to a
 * different endpoint whenever there is one, which is what the {@code previous_hosts} host
 * predicate asks for; other predicates are refused.
 */
final class XdsRetryPolicy {

  private XdsRetryPolicy() {}

  static RetryPolicy of(io.envoyproxy.envoy.config.route.v3.RetryPolicy p, String field) {
    for (var predicate : p.getRetryHostPredicateList()) {
      if (!predicate.getName().equals("envoy.retry_host_predicates.previous_hosts")) {
        throw new IllegalArgumentException(field + ".retry_host_predicate: '"
            + predicate.getName() + "' (expected: envoy.retry_host_predicates.previous_hosts)");
      }
    }
    StringBuilder on = new StringBuilder(p.getRetryOn());
    for (int code : p.getRetriableStatusCodesList()) {
      on.append(on.length() == 0 ? "" : ",").append(code);
    }
    RetryOn retryOn = RetryOnText.parse(field + ".retry_on", on.toString());
    int attempts = p.hasNumRetries() ? p.getNumRetries().getValue() : 1;
    Duration perTry = p.hasPerTryTimeout()
        ? Duration.ofNanos(XdsRouteTable.nanos(p.getPerTryTimeout())) : Duration.ZERO;
    Duration base = RetryPolicy.DEFAULT_BASE_BACKOFF;
    Duration max = null;
    if (p.hasRetryBackOff()) {
      if (p.getRetryBackOff().hasBaseInterval()) {
        base = Duration.ofNanos(XdsRouteTable.nanos(p.getRetryBackOff().getBaseInterval()));
      }
      if (p.getRetryBackOff().hasMaxInterval()) {
        max = Duration.ofNanos(XdsRouteTable.nanos(p.getRetryBackOff().getMaxInterval()));
      }
    }
    return new RetryPolicy(attempts, perTry, retryOn, base, max == null ? base.multipliedBy(10) : max);
  }
}
