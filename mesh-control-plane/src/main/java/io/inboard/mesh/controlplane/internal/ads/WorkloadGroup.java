package io.inboard.mesh.controlplane.internal.ads;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * What the nodes of one ADS group share, and all that their config depends on: the namespace
 * and labels they announce in their node metadata.
 *
 * @param namespace the {@code NAMESPACE} node metadata, {@code ""} when absent (the control
 *     plane's default namespace applies)
 * @param labels the {@code LABELS} node metadata (string values only)
 */
public record WorkloadGroup(String namespace, Map<String, String> labels) {
  /** The group of nodes that announce nothing. */
  public static final WorkloadGroup NONE = new WorkloadGroup("", Map.of());

  public WorkloadGroup {
    requireNonNull(namespace, "namespace");
    labels = Map.copyOf(labels);
  }
}
