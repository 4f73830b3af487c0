package io.grpc.xds;

import io.grpc.CallOptions;
import io.grpc.xds.VirtualHost.Route.RouteAction.RetryPolicy;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A route's timeout and retry policy as grpc's per-method config ({@code MethodInfo}), built
 * once per route update instead of once per call.
 *
 * <p>grpc-xds's config selector turns a route's timeout and retry policy into a service config
 * and parses it on every call ({@code XdsNameResolver.ConfigSelector.selectConfig}); that is
 * most of what an xDS channel allocates per call. For routes that carry Inboard's route filter,
 * {@link InboardResolverClient} moves both out of the route action grpc-xds sees and into this
 * object, which the filter puts on each call with {@link #applyTo}. The result is the same
 * {@code MethodInfo}, built from the same service config ({@code
 * XdsNameResolver.generateServiceConfigWithMethodConfig}), with the limits of a channel that
 * keeps grpc's defaults (retries enabled, at most 5 attempts and 5 hedged attempts), which
 * Inboard's xDS channels do.
 */
public final class InboardRouteMethodConfig {

  /** grpc's defaults ({@code ManagedChannelImplBuilder}), which Inboard's xDS channels keep. */
  static final int MAX_ATTEMPTS_LIMIT = 5;

  private final Long timeoutNanos;
  private final RetryPolicy retryPolicy;
  /** grpc's MethodInfo, or null when the route's policies make an empty method config. */
  private final Object methodInfo;

  private InboardRouteMethodConfig(Long timeoutNanos, RetryPolicy retryPolicy,
      Object methodInfo) {
    this.timeoutNanos = timeoutNanos;
    this.retryPolicy = retryPolicy;
    this.methodInfo = methodInfo;
  }

  /**
   * The method config grpc-xds would have built per call for a route with this timeout (null
   * for none) and retry policy (null for none).
   */
  static InboardRouteMethodConfig of(Long timeoutNanos, RetryPolicy retryPolicy) {
    Map<String, ?> serviceConfig =
        XdsNameResolver.generateServiceConfigWithMethodConfig(timeoutNanos, retryPolicy);
    Object info = null;
    if (serviceConfig.get("methodConfig") instanceof List<?> methods && !methods.isEmpty()
        && methods.get(0) instanceof Map<?, ?> method) {
      @SuppressWarnings("unchecked")
      Map<String, ?> m = (Map<String, ?>) method;
      info = InboardGrpcBridge.methodInfo(m, MAX_ATTEMPTS_LIMIT, MAX_ATTEMPTS_LIMIT);
    }
    return new InboardRouteMethodConfig(timeoutNanos, retryPolicy, info);
  }

  /** {@code options} carrying this method config, as grpc's config selector would set it. */
  public CallOptions applyTo(CallOptions options) {
    return methodInfo == null ? options : InboardGrpcBridge.withMethodInfo(options, methodInfo);
  }

  /** Whether grpc would apply anything (a timeout, or a retry policy with retryable codes). */
  public boolean isEmpty() {
    return methodInfo == null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InboardRouteMethodConfig c && Objects.equals(c.timeoutNanos, timeoutNanos)
        && Objects.equals(c.retryPolicy, retryPolicy);
  }

  @Override
  public int hashCode() {
    return Objects.hash(timeoutNanos, retryPolicy);
  }

  @Override
  public String toString() {
    return "InboardRouteMethodConfig{timeoutNanos=" + timeoutNanos + ", retryPolicy="
        + retryPolicy + "}";
  }
}
