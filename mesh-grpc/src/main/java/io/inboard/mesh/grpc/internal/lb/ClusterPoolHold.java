package io.inboard.mesh.grpc.internal.lb;

import io.grpc.LoadBalancer;
import io.inboard.mesh.grpc.internal.pool.ClusterPool;
import io.inboard.mesh.grpc.internal.pool.ClusterPools;
import io.inboard.mesh.grpc.internal.pool.PoolLimits;

/**
 * One LB policy instance's hold on its cluster's connection-pool limits: the calls' limits in
 * {@link ClusterPools} and the per-connection limit of its subchannels, kept in step with each
 * config (updated on the channel's synchronization context).
 */
final class ClusterPoolHold {
  private ClusterPools.Registration registration;
  /** The pool the registration holds, for pickers on any thread. */
  private volatile ClusterPool current;

  /** {@code maxRequestsPerConnection}, 0 for unlimited; read by pickers. */
  private volatile int maxRequestsPerConnection;

  /** The idle timeout in nanoseconds, 0 for none; read by subchannels. */
  private volatile long idleTimeoutNanos;

  void connectionLimits(int maxRequestsPerConnection, long idleTimeoutNanos) {
    this.maxRequestsPerConnection = maxRequestsPerConnection;
    this.idleTimeoutNanos = idleTimeoutNanos;
  }

  /**
   * A subchannel for the child: recycled after {@code maxRequestsPerConnection} calls and closed
   * when idle when either limit is set now (a limit set later applies to subchannels created
   * later; a limit changed or removed applies to all).
   *
   * @param repick issues the balancer's current picker again (see {@link RecyclingSubchannel})
   */
  LoadBalancer.Subchannel createSubchannel(LoadBalancer.Helper helper,
      LoadBalancer.CreateSubchannelArgs args, Runnable repick) {
    return maxRequestsPerConnection > 0 || idleTimeoutNanos > 0
        ? new RecyclingSubchannel(helper, args, () -> maxRequestsPerConnection,
            () -> idleTimeoutNanos, repick)
        : helper.createSubchannel(args);
  }

  /** The cluster's pool, or null when it has no limits. */
  ClusterPool current() {
    return current;
  }

  /** Registers, updates or drops the limits of {@code cluster} (null: none). */
  void update(String cluster, PoolLimits limits) {
    if (cluster == null || cluster.isEmpty() || limits.none()) {
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
