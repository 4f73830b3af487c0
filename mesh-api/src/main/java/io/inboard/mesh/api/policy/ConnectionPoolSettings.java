package io.inboard.mesh.api.policy;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;

/**
 * Limits that shed load before it reaches a service. Mirrors Istio's
 * {@code ConnectionPoolSettings}; when a limit is reached a call fails at once with the
 * 503-equivalent error instead of queueing. Build one with {@link #builder()}, which starts from
 * Istio's defaults (no limits, 10 s connect timeout).
 *
 * @param maxConnections the most connections to the service (default: unlimited)
 * @param maxPendingRequests the most requests waiting for a connection (default: unlimited)
 * @param maxRequests the most requests in flight to the service (default: unlimited)
 * @param maxRetries the most retries in flight to the service (default: unlimited)
 * @param connectTimeout the TCP connect timeout (default 10 s)
 * @param maxRequestsPerConnection the most calls one connection carries before it is replaced by
 *     a fresh one, Istio's {@code http.maxRequestsPerConnection}; 0 means unlimited (Istio's
 *     default). gRPC clients and HTTP clients on the Netty transport honour it; the JDK
 *     transport cannot
 * @param idleTimeout how long a connection may carry no call before it is closed, Istio's
 *     {@code http.idleTimeout}; {@link Duration#ZERO} never closes an idle connection. Empty
 *     (the default) leaves each client its own: gRPC keeps connections until its channel goes
 *     idle, HTTP clients close them after 30 s (Netty transport) or the JDK's keep-alive time.
 *     gRPC clients and the Netty transport honour it; the JDK transport cannot (its keep-alive
 *     time is one per JVM)
 */
public record ConnectionPoolSettings(
    int maxConnections, int maxPendingRequests, int maxRequests, int maxRetries,
    Duration connectTimeout, int maxRequestsPerConnection, Optional<Duration> idleTimeout) {

  /** A value meaning "no limit". */
  public static final int UNLIMITED = Integer.MAX_VALUE;

  /** No limits and a 10 s connect timeout, as in Istio: what {@link #builder()} starts from. */
  public static final ConnectionPoolSettings DEFAULT = builder().build();

  public ConnectionPoolSettings {
    requireAtLeastOne("connectionPool.maxConnections", maxConnections);
    requireAtLeastOne("connectionPool.http1MaxPendingRequests", maxPendingRequests);
    requireAtLeastOne("connectionPool.http2MaxRequests", maxRequests);
    if (maxRetries < 0) {
      throw new IllegalArgumentException(
          "connectionPool.maxRetries: " + maxRetries + " (expected: >= 0)");
    }
    Durations.requirePositive("connectionPool.connectTimeout", connectTimeout);
    if (maxRequestsPerConnection < 0) {
      throw new IllegalArgumentException("connectionPool.maxRequestsPerConnection: "
          + maxRequestsPerConnection + " (expected: >= 0, 0 for unlimited)");
    }
    requireNonNull(idleTimeout, "idleTimeout");
    idleTimeout.ifPresent(t -> {
      if (t.isNegative()) {
        throw new IllegalArgumentException("connectionPool.idleTimeout: " + Durations.format(t)
            + " (expected: >= 0s, 0s for never)");
      }
    });
  }

  /** Settings without a per-connection limit or an idle timeout of their own. */
  public ConnectionPoolSettings(int maxConnections, int maxPendingRequests, int maxRequests,
      int maxRetries, Duration connectTimeout) {
    this(maxConnections, maxPendingRequests, maxRequests, maxRetries, connectTimeout, 0,
        Optional.empty());
  }

  private static void requireAtLeastOne(String field, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(field + ": " + value + " (expected: >= 1)");
    }
  }

  /** Starts from Istio's defaults (see each setter). */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link ConnectionPoolSettings}; values are checked by {@link #build()}. */
  public static final class Builder {
    private int maxConnections = UNLIMITED;
    private int maxPendingRequests = UNLIMITED;
    private int maxRequests = UNLIMITED;
    private int maxRetries = UNLIMITED;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private int maxRequestsPerConnection;
    private Optional<Duration> idleTimeout = Optional.empty();

    private Builder() {}

    /** The most connections to the service, >= 1 (default {@link #UNLIMITED}). */
    public Builder maxConnections(int max) {
      this.maxConnections = max;
      return this;
    }

    /**
     * The most requests waiting for a connection, >= 1 (default {@link #UNLIMITED}); Istio's
     * {@code http1MaxPendingRequests}.
     */
    public Builder maxPendingRequests(int max) {
      this.maxPendingRequests = max;
      return this;
    }

    /**
     * The most requests in flight to the service, >= 1 (default {@link #UNLIMITED}); Istio's
     * {@code http2MaxRequests}.
     */
    public Builder maxRequests(int max) {
      this.maxRequests = max;
      return this;
    }

    /** The most retries in flight to the service, >= 0 (default {@link #UNLIMITED}). */
    public Builder maxRetries(int max) {
      this.maxRetries = max;
      return this;
    }

    /** The TCP connect timeout (default 10 s). */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = requireNonNull(timeout, "connectTimeout");
      return this;
    }

    /**
     * The most calls one connection carries before a fresh one replaces it, >= 0 (default 0:
     * unlimited, as Istio); Istio's {@code http.maxRequestsPerConnection}. Honoured by gRPC
     * clients and by HTTP clients on the Netty transport, not by the JDK transport.
     */
    public Builder maxRequestsPerConnection(int max) {
      this.maxRequestsPerConnection = max;
      return this;
    }

    /**
     * How long a connection may carry no call before it is closed, >= 0 ({@link Duration#ZERO}:
     * never); Istio's {@code http.idleTimeout}. Unset by default: each client keeps its own
     * (see {@link ConnectionPoolSettings}).
     */
    public Builder idleTimeout(Duration timeout) {
      this.idleTimeout = Optional.of(requireNonNull(timeout, "idleTimeout"));
      return this;
    }

    /**
     * The settings.
     *
     * @throws IllegalArgumentException naming the field, its value and what was expected
     */
    public ConnectionPoolSettings build() {
      return new ConnectionPoolSettings(maxConnections, maxPendingRequests, maxRequests,
          maxRetries, connectTimeout, maxRequestsPerConnection, idleTimeout);
    }
  }
}
