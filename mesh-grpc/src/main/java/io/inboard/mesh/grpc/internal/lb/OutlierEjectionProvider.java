package io.inboard.mesh.grpc.internal.lb;

import io.grpc.LoadBalancer;
import io.grpc.LoadBalancerProvider;
import io.grpc.NameResolver.ConfigOrError;
import io.inboard.mesh.api.internal.MeshXdsNames;
import java.util.Map;

/**
 * Registers {@link MeshXdsNames#GRPC_OUTLIER_POLICY} with grpc's {@code LoadBalancerRegistry}
 * through {@code META-INF/services/io.grpc.LoadBalancerProvider}, so that grpc-xds finds it when
 * a Cluster's {@code load_balancing_policy} names it (gRFC A52). See {@link
 * OutlierEjectionConfig} for the fields and their defaults.
 */
public final class OutlierEjectionProvider extends LoadBalancerProvider {

  @Override
  public boolean isAvailable() {
    return true;
  }

  @Override
  public int getPriority() {
    return 5;
  }

  @Override
  public String getPolicyName() {
    return MeshXdsNames.GRPC_OUTLIER_POLICY;
  }

  @Override
  public ConfigOrError parseLoadBalancingPolicyConfig(Map<String, ?> rawConfig) {
    return OutlierEjectionConfig.parse(rawConfig);
  }

  @Override
  public LoadBalancer newLoadBalancer(LoadBalancer.Helper helper) {
    return new OutlierEjectionLoadBalancer(helper);
  }
}
