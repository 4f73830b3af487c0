package io.inboard.mesh.grpc.internal.client;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Gives a call without a deadline the client's timeout for its method. Used in xDS mode, where a
 * channel's default service config is never consulted: gRPC then combines this deadline with
 * the xDS route's timeout by taking the earlier of the two.
 */
public final class DefaultDeadlineInterceptor implements ClientInterceptor {

  private final Duration channelTimeout;
  private final Map<String, Duration> methodTimeouts;

  /**
   * @param channelTimeout for every method not in {@code methodTimeouts}; {@code null} for none
   * @param methodTimeouts by full method name ({@code package.Service/Method})
   */
  public DefaultDeadlineInterceptor(Duration channelTimeout, Map<String, Duration> methodTimeouts) {
    this.channelTimeout = channelTimeout;
    this.methodTimeouts = Map.copyOf(methodTimeouts);
  }

  @Override
  public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
      MethodDescriptor<ReqT, RespT> method, CallOptions callOptions, Channel next) {
    Duration timeout = methodTimeouts.getOrDefault(method.getFullMethodName(), channelTimeout);
    if (timeout != null && callOptions.getDeadline() == null) {
      callOptions = callOptions.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }
    return next.newCall(method, callOptions);
  }
}
