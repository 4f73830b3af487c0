package io.inboard.mesh.controlplane.internal.inject;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/**
 * The one injection both the webhook and {@code kube-inject} run: {@link InjectionPolicy}
 * decides, {@link PodMutation} mutates. Stateless after construction; safe for concurrent use.
 */
public final class PodInjector {
  private final PodMutation mutation;

  /** An injector adding {@code template}. */
  public PodInjector(InjectionTemplate template) {
    this.mutation = new PodMutation(requireNonNull(template, "template"));
  }

  /**
   * Mutates {@code pod} (a Pod, or a pod template: {@code metadata} and {@code spec}) in place
   * when the policy says so.
   *
   * @param namespace the pod's namespace, "" when unknown
   * @param workloadName the {@code INBOARD_WORKLOAD_NAME} to inject
   * @return the decision; the pod changed only when it is {@code INJECT}
   */
  InjectionPolicy.Decision inject(Map<String, Object> pod, String namespace,
      String workloadName) {
    InjectionPolicy.Decision d = InjectionPolicy.decide(Trees.map(pod, "metadata"),
        Trees.map(pod, "spec"), namespace);
    if (d.inject()) {
      mutation.apply(pod, workloadName);
    }
    return d;
  }

  /**
   * The JSON Patch that injects {@code pod}, as the API server sent it (its name computed by
   * {@link WorkloadNames}), or an empty list when it is not injected. {@code pod} is not
   * changed.
   */
  List<Map<String, Object>> patch(Map<String, Object> pod, String namespace) {
    @SuppressWarnings("unchecked")
    Map<String, Object> copy = (Map<String, Object>) Trees.copy(pod);
    String name = WorkloadNames.forPod(Trees.map(pod, "metadata"));
    if (!inject(copy, namespace, name).inject()) {
      return List.of();
    }
    return JsonPatchDiff.diff(pod, copy);
  }
}
