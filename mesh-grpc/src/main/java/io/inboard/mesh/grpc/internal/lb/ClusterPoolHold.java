package io.inboard.mesh.grpc.internal.lb;

import io.inboard.mesh.grpc.internal.pool.ClusterPools;
import io.inboard.mesh.grpc.internal.pool.PoolLimits;

/**
 * One LB policy instance's hold on its cluster's connection-pool limits in {@link ClusterPools},
 * kept in step with each config (used on the channel's synchronization context only).
 */
final class ClusterPoolHold {
  private ClusterPools.Registration registration;

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
  }

  void release() {
    if (registration != null) {
      registration.close();
      registration = null;
    }
  }
}
