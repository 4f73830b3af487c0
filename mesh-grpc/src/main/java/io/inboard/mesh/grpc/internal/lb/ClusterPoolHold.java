package io.inboard.mesh.grpc.internal.lb;

import io.inboard.mesh.grpc.internal.pool.ClusterPool;
import io.inboard.mesh.grpc.internal.pool.ClusterPools;
import io.inboard.mesh.grpc.internal.pool.PoolLimits;

/**
 * One LB policy instance's hold on its cluster's connection-pool limits in {@link ClusterPools},
 * kept in step with each config (used on the channel's synchronization context only).
 */
final class ClusterPoolHold {
  private ClusterPools.Registration registration;
  /** The pool the registration holds, for pickers on any thread. */
  private volatile ClusterPool current;

  /** The cluster's pool, or null when it has no limits. */
  ClusterPool current() {
    return current;
  }

  /** Registers, updates or drops the limits of {@code cluster} (null: none). */
  void update(String cluster, PoolLimits limits) {
    if (cluster == null || limits.none()) {
      release();
      return;
    }
    if (registration != null && registration.isFor(cluster)) {
      registration.update(limits);
      return;
    }
    release();
    registration = ClusterPools.register(cluster, limits);
    current = ClusterPools.get(cluster);
  }

  void release() {
    if (registration != null) {
      current = null;
      registration.close();
      registration = null;
    }
  }
}
