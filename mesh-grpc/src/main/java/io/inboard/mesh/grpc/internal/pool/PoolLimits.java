package io.inboard.mesh.grpc.internal.pool;

/**
 * One cluster's connection-pool limits for gRPC calls; {@link #UNLIMITED} means no limit.
 *
 * @param maxRequests calls in flight at once, >= 1 (Istio's {@code http2MaxRequests})
 * @param maxPendingRequests calls waiting for a connection to carry their stream, >= 0 (Istio's {@code
 *     http1MaxPendingRequests}); 0 sheds every call that finds no connection ready
 * @param maxRetries retries in flight at once, >= 0 (Istio's {@code maxRetries})
 */
public record PoolLimits(int maxRequests, int maxPendingRequests, int maxRetries) {

  /** A value meaning "no limit". */
  public static final int UNLIMITED = Integer.MAX_VALUE;

  /** No limits at all. */
  public static final PoolLimits NONE = new PoolLimits(UNLIMITED, UNLIMITED, UNLIMITED);

  public PoolLimits {
    if (maxRequests < 1 || maxPendingRequests < 0 || maxRetries < 0) {
      throw new IllegalArgumentException("pool limits out of range: " + maxRequests + ", "
          + maxPendingRequests + ", " + maxRetries);
    }
  }

  /** Whether every limit is {@link #UNLIMITED}: then no pool is needed. */
  public boolean none() {
    return equals(NONE);
  }
}
