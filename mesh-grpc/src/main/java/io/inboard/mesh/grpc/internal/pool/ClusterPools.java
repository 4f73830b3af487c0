package io.inboard.mesh.grpc.internal.pool;

import io.grpc.CallOptions;
import io.grpc.xds.InboardGrpcBridge;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The process-wide registry of {@link ClusterPool}s by cluster name: as Envoy's circuit breakers
 * (and grpc-xds's own {@code max_requests} counters), every channel of the process shares one
 * cluster's limits. Each load-balancing policy instance of a cluster (one per channel and
 * priority) {@link #register}s its limits and {@link Registration#close closes} its registration
 * on shutdown; the pool goes when its last registration does. Calls read it with {@link #get}.
 */
public final class ClusterPools {

  /** By grpc-xds's selection of the cluster, so that a call's lookup copies nothing. */
  private static final ConcurrentHashMap<String, Entry> POOLS = new ConcurrentHashMap<>();

  private ClusterPools() {}

  /** The pool of {@code cluster}, or null when no live policy set limits for it. */
  public static ClusterPool get(String cluster) {
    Entry e = cluster == null ? null : POOLS.get(InboardGrpcBridge.clusterSelectionOf(cluster));
    return e == null ? null : e.pool;
  }

  /** The pool of the cluster grpc-xds routed a call to, or null; one map lookup, no copy. */
  public static ClusterPool forCall(CallOptions options) {
    String selection = InboardGrpcBridge.clusterSelection(options);
    Entry e = selection == null ? null : POOLS.get(selection);
    return e == null ? null : e.pool;
  }

  /**
   * Sets {@code limits} for {@code cluster} (the latest registration's win: every channel gets
   * the same CDS resource) and holds its pool until the registration is closed.
   */
  public static Registration register(String cluster, PoolLimits limits) {
    String key = InboardGrpcBridge.clusterSelectionOf(cluster);
    Entry[] created = new Entry[1];
    Entry e = POOLS.compute(key, (k, old) -> {
      Entry next = old != null ? old : new Entry(new ClusterPool(cluster, limits));
      next.refs++;
      if (old == null) {
        created[0] = next;
      }
      return next;
    });
    if (created[0] == null) {
      e.pool.limits(limits);
    }
    return new Registration(cluster, key, e);
  }

  /** One policy's hold on a cluster's pool. */
  public static final class Registration implements AutoCloseable {
    private final String cluster;
    private final String key;
    private final Entry entry;
    private boolean closed;

    private Registration(String cluster, String key, Entry entry) {
      this.cluster = cluster;
      this.key = key;
      this.entry = entry;
    }

    /** Whether this registration is for {@code cluster}. */
    public boolean isFor(String name) {
      return cluster.equals(name);
    }

    /** Sets new limits for the cluster. */
    public void update(PoolLimits limits) {
      entry.pool.limits(limits);
    }

    /** Gives the hold up; the last one removes the pool (calls holding it finish with it). */
    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      POOLS.computeIfPresent(key, (k, e) -> e != entry || --e.refs > 0 ? e : null);
    }
  }

  private static final class Entry {
    final ClusterPool pool;
    int refs; // changed inside POOLS.compute only

    Entry(ClusterPool pool) {
      this.pool = pool;
    }
  }
}
