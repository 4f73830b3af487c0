package io.inboard.mesh.grpc.internal.pool;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;
import java.util.concurrent.Executor;

/**
 * The route filter's outermost interceptor: puts every call of a cluster with connection-pool
 * limits through its {@link ClusterPool} ({@link AdmittedCall}), around {@code inner} (the
 * route's own interceptor, or null), so that a call holds its slot through all the tries the
 * filter makes. A call whose cluster has no pool costs one map lookup.
 */
public final class PoolAdmission implements ClientInterceptor {

  private final ClientInterceptor inner;
  private final ClusterPool fixed;

  /** @param inner the route's interceptor, or null */
  public PoolAdmission(ClientInterceptor inner) {
    this(inner, null);
  }

  private PoolAdmission(ClientInterceptor inner, ClusterPool fixed) {
    this.inner = inner;
    this.fixed = fixed;
  }

  /** Admission of every call of a channel to {@code pool}, for channels not routed by grpc-xds. */
  public static PoolAdmission of(ClusterPool pool) {
    return new PoolAdmission(null, pool);
  }

  @Override
  public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method,
      CallOptions options, Channel next) {
    ClusterPool pool = fixed != null ? fixed : ClusterPools.forCall(options);
    if (pool == null) {
      return inner == null ? next.newCall(method, options)
          : inner.interceptCall(method, options, next);
    }
    WaitingStream waiting = null;
    if (pool.limits().maxPendingRequests() != PoolLimits.UNLIMITED) {
      waiting = new WaitingStream(pool);
      options = options.withStreamTracerFactory(waiting);
    }
    ClientCall<Q, R> call = inner == null ? next.newCall(method, options)
        : inner.interceptCall(method, options, next);
    // grpc's config-selecting call always sets the call's executor
    Executor executor = options.getExecutor() != null ? options.getExecutor() : Runnable::run;
    return new AdmittedCall<>(pool, call, executor, waiting);
  }
}
