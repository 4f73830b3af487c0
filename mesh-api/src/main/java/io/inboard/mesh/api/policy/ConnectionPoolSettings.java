package io.inboard.mesh.api.policy;

import java.time.Duration;

/**
 * Limits that shed load before it reaches a service. Mirrors Istio's
 * {@code ConnectionPoolSettings}; when a limit is reached a call fails at once with the
 * 503-equivalent error instead of queueing.
 *
 * @param maxConnections the most connections to the service (default: unlimited)
 * @param maxPendingRequests the most requests waiting for a connection (default: unlimited)
 * @param maxRequests the most requests in flight to the service (default: unlimited)
 * @param maxRetries the most retries in flight to the service (default: unlimited)
 * @param connectTimeout the TCP connect timeout (default 10 s)
 */
public record ConnectionPoolSettings(
    int maxConnections, int maxPendingRequests, int maxRequests, int maxRetries,
    Duration connectTimeout) {

  /** A value meaning "no limit". */
  public static final int UNLIMITED = Integer.MAX_VALUE;

  /** No limits and a 10 s connect timeout, as in Istio. */
  public static final ConnectionPoolSettings DEFAULT =
      new ConnectionPoolSettings(UNLIMITED, UNLIMITED, UNLIMITED, UNLIMITED, Duration.ofSeconds(10));

  public ConnectionPoolSettings {
    requireAtLeastOne("connectionPool.maxConnections", maxConnections);
    requireAtLeastOne("connectionPool.http1MaxPendingRequests", maxPendingRequests);
    requireAtLeastOne("connectionPool.http2MaxRequests", maxRequests);
    if (maxRetries < 0) {
      throw new IllegalArgumentException(
          "connectionPool.maxRetries: " + maxRetries + " (expected: >= 0)");
    }
    Durations.requirePositive("connectionPool.connectTimeout", connectTimeout);
  }

  private static void requireAtLeastOne(String field, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(field + ": " + value + " (expected: >= 1)");
    }
  }
}
