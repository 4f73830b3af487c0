package io.inboard.mesh.grpc.internal.route;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;
import io.grpc.xds.InboardRouteMethodConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The route filter's interceptor for one route: per call it reads the precomputed {@link
 * GrpcRoutePolicy} and wraps the call, outermost first, in header changes, mirroring (unary
 * calls, each mirror sampled by its share) and the filter's own retries (unary calls of a route
 * with a per-try timeout). Streaming calls get header changes only; grpc's retries and route
 * timeout stay in charge of them, and of unary calls without a per-try timeout: for those calls
 * the interceptor hands grpc the route's method config ({@link InboardRouteMethodConfig}), which
 * grpc-xds no longer builds per call for routes that carry this filter.
 */
final class GrpcRouteInterceptor implements ClientInterceptor {
  private static final Logger log = LoggerFactory.getLogger(GrpcRouteInterceptor.class);
  private static final AtomicBoolean STREAMING_NOT_MIRRORED = new AtomicBoolean();

  private final GrpcRoutePolicy policy;
  /** The route's timeout and retry policy for grpc to run, or null when grpc-xds applies them. */
  private final InboardRouteMethodConfig grpcPolicies;
  private final ScheduledExecutorService scheduler;

  GrpcRouteInterceptor(GrpcRoutePolicy policy, InboardRouteMethodConfig grpcPolicies,
      ScheduledExecutorService scheduler) {
    this.policy = policy;
    this.grpcPolicies = grpcPolicies;
    this.scheduler = scheduler;
  }

  @Override
  public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method,
      CallOptions options, Channel next) {
    boolean unary = method.getType() == MethodDescriptor.MethodType.UNARY;
    ClientCall<Q, R> call = unary && policy.attempts() != null
        ? new RetryingUnaryCall<>(method, options, next, policy.attempts(),
            policy.routeTimeoutNanos(), scheduler)
        : next.newCall(method, grpcPolicies == null ? options : grpcPolicies.applyTo(options));
    if (!policy.mirrors().isEmpty()) {
      if (unary) {
        call = mirrored(call, method, options, next);
      } else if (STREAMING_NOT_MIRRORED.compareAndSet(false, true)) {
        log.debug("{}: streaming calls are not mirrored (only unary calls are)",
            method.getFullMethodName());
      }
    }
    if (!policy.requestHeaders().isEmpty() || !policy.responseHeaders().isEmpty()) {
      call = new HeaderChangingCall<>(call, policy);
    }
    return call;
  }

  private <Q, R> ClientCall<Q, R> mirrored(ClientCall<Q, R> call,
      MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
    MirrorChannels channels = options.getOption(MirrorChannels.KEY);
    if (channels == null) {
      return call; // a channel Inboard did not build (or a mirror's own): nowhere to mirror to
    }
    List<MirrorPolicy> sampled = null;
    for (MirrorPolicy m : policy.mirrors()) {
      if (m.partsPerMillion() >= MirrorPolicy.MILLION
          || ThreadLocalRandom.current().nextInt(MirrorPolicy.MILLION) < m.partsPerMillion()) {
        if (sampled == null) {
          sampled = policy.mirrors().size() == 1 ? policy.mirrors() : new ArrayList<>(2);
        }
        if (sampled != policy.mirrors()) {
          sampled.add(m);
        }
      }
    }
    if (sampled == null) {
      return call;
    }
    String authority = options.getAuthority() != null ? options.getAuthority() : next.authority();
    return new MirroringCall<>(call, method,
        MirroringCall.copyDeadline(options, policy.routeTimeoutNanos()), authority, sampled,
        channels);
  }
}
