package io.inboard.mesh.grpc.internal.lb;

import io.grpc.LoadBalancer;
import io.grpc.NameResolver;
import io.inboard.mesh.api.internal.telemetry.MeshHealthMetrics;

/**
 * How the outlier policy finds the mesh's health metrics. grpc creates the policy from its global
 * registry, so it holds no reference to a {@code Mesh}; a mesh's channels carry its {@link
 * MeshHealthMetrics} as a name-resolver argument instead ({@code
 * ManagedChannelBuilder.setNameResolverArg}), which grpc hands every load balancer of the
 * channel through {@link LoadBalancer.Helper#getNameResolverArgs()}. Channels without it (an
 * {@code XdsChannels} used on its own) report nothing.
 */
public final class EjectionMetrics {

  /** The name-resolver argument a mesh's channel sets to its mesh's health metrics. */
  public static final NameResolver.Args.Key<MeshHealthMetrics> KEY =
      NameResolver.Args.Key.create("inboard.mesh-health-metrics");

  private EjectionMetrics() {}

  /** The health metrics of {@code helper}'s channel, or {@link MeshHealthMetrics#NOOP}. */
  static MeshHealthMetrics of(LoadBalancer.Helper helper) {
    try {
      NameResolver.Args args = helper.getNameResolverArgs();
      MeshHealthMetrics metrics = args == null ? null : args.getArg(KEY);
      return metrics == null ? MeshHealthMetrics.NOOP : metrics;
    } catch (UnsupportedOperationException e) {
      // a helper that is no channel's (a test's, a wrapping policy's own) has no arguments
      return MeshHealthMetrics.NOOP;
    }
  }
}
