package io.inboard.mesh.grpc.internal.route;

import io.grpc.Status;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The retries the filter runs itself for a unary call: a route {@code retry_policy} with a
 * per-try timeout.
 *
 * <p><b>What a retry is for.</b> A try that ends with a status whose gRPC name is in {@code
 * retry_on} ({@code cancelled}, {@code deadline-exceeded}, {@code internal}, {@code
 * resource-exhausted}, {@code unavailable}) is retried. A try that outlives its per-try timeout
 * is retried when {@code retry_on} holds {@code 5xx}, {@code gateway-error} or {@code reset}, as
 * in Envoy: its router resets such a try and retries the reset under those three conditions only
 * ({@code RetryStateImpl::wouldRetryFromReset}), whereas {@code deadline-exceeded} matches a
 * {@code grpc-status} the upstream sent. The HTTP client (mesh-http) follows the same rule.
 *
 * @param maxAttempts {@code num_retries} + 1 (Envoy's default {@code num_retries} is 1)
 * @param retryOn the gRPC codes that are retried
 * @param retryPerTryTimeout whether a try that outlived its per-try timeout is retried
 * @param perTryTimeoutNanos each try's bound (> 0), from when it starts until response headers
 * @param baseBackoffNanos Envoy's {@code base_interval} (default 25 ms)
 * @param maxBackoffNanos Envoy's {@code max_interval} (default 10 times the base)
 */
record AttemptPolicy(int maxAttempts, Set<Status.Code> retryOn, boolean retryPerTryTimeout,
    long perTryTimeoutNanos, long baseBackoffNanos, long maxBackoffNanos) {

  AttemptPolicy {
    retryOn = Set.copyOf(retryOn);
  }

  /**
   * Envoy's fully jittered exponential backoff before retry {@code retry} (1-based): uniformly
   * random in {@code [0, min(base * 2^(retry-1), max)]}, in nanoseconds.
   */
  long backoffNanos(int retry) {
    int shift = Math.min(Math.max(retry - 1, 0), 62);
    long ceiling = baseBackoffNanos << shift;
    if ((ceiling >>> shift) != baseBackoffNanos || ceiling > maxBackoffNanos || ceiling <= 0) {
      ceiling = maxBackoffNanos;
    }
    return ThreadLocalRandom.current().nextLong(ceiling + 1);
  }
}
