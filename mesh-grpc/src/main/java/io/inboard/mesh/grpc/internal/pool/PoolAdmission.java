package io.inboard.mesh.grpc.internal.pool;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.MethodDescriptor;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The route filter's outermost interceptor: puts every call of a cluster with connection-pool
 * limits through its {@link ClusterPool} ({@link AdmittedCall}), around {@code inner} (the
 * route's own interceptor, or null), so that a call holds its slot through all the tries the
 * filter makes. A call whose cluster has no pool costs one map lookup.
 */
public final class PoolAdmission implements ClientInterceptor {

  private final ClientInterceptor inner;
  private final ScheduledExecutorService scheduler;
  private final ClusterPool fixed;

  /**
   * @param inner the route's interceptor, or null
   * @param scheduler where a queued call's deadline is timed (grpc's)
   */
  public PoolAdmission(ClientInterceptor inner, ScheduledExecutorService scheduler) {
    this(inner, scheduler, null);
  }

  private PoolAdmission(ClientInterceptor inner, ScheduledExecutorService scheduler,
      ClusterPool fixed) {
    this.inner = inner;
    this.scheduler = scheduler;
    this.fixed = fixed;
  }

  /**
   * Admission of every call of a channel to {@code pool}, for channels not routed by grpc-xds
   * (Kubernetes mode); queued calls' deadlines are timed on a shared daemon thread.
   */
  public static PoolAdmission of(ClusterPool pool) {
    return new PoolAdmission(null, PoolTimers.get(), pool);
  }

  @Override
  public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method,
      CallOptions options, Channel next) {
    ClientCall<Q, R> call = inner == null ? next.newCall(method, options)
        : inner.interceptCall(method, options, next);
    ClusterPool pool = fixed != null ? fixed : ClusterPools.forCall(options);
    if (pool == null) {
      return call;
    }
    // grpc's config-selecting call always sets the call's executor
    Executor executor = options.getExecutor() != null ? options.getExecutor() : Runnable::run;
    Deadline deadline = options.getDeadline();
    Deadline inContext = Context.current().getDeadline();
    if (inContext != null && (deadline == null || inContext.isBefore(deadline))) {
      deadline = inContext;
    }
    return new AdmittedCall<>(pool, call, executor, deadline, scheduler);
  }
}
