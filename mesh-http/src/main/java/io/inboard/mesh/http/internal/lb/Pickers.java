package io.inboard.mesh.http.internal.lb;

import io.inboard.mesh.api.policy.LoadBalancerPolicy;
import java.util.List;

/** Builds the picker a {@link LoadBalancerPolicy} asks for. */
public final class Pickers {

  private Pickers() {}

  public static EndpointPicker create(LoadBalancerPolicy policy, List<EndpointState> endpoints) {
    if (policy instanceof LoadBalancerPolicy.ConsistentHash ch) {
      return new RingHashPicker(endpoints, ch.minimumRingSize());
    }
    LoadBalancerPolicy.Simple simple = (LoadBalancerPolicy.Simple) policy;
    return switch (simple.kind()) {
      case ROUND_ROBIN -> new RoundRobinPicker(endpoints);
      case LEAST_REQUEST -> new LeastRequestPicker(endpoints);
      case RANDOM -> new RandomPicker(endpoints);
      case PICK_FIRST -> new PickFirstPicker(endpoints);
    };
  }
}
