package io.inboard.mesh.controlplane;

import java.util.List;

/**
 * What {@link ControlPlane#delete} did. It deletes all the named resources or none: when any is
 * {@link #unknown()} or any document is invalid, {@link #deleted()} is empty.
 *
 * @param deleted the resources removed
 * @param unknown the named resources that are not stored
 * @param errors documents that name no resource (no kind, or no metadata.name)
 */
public record Deletion(List<ResourceId> deleted, List<ResourceId> unknown, Diagnostics errors) {
  public Deletion {
    deleted = List.copyOf(deleted);
    unknown = List.copyOf(unknown);
    java.util.Objects.requireNonNull(errors, "errors");
  }

  /** Whether the resources were deleted. */
  public boolean ok() {
    return unknown.isEmpty() && !errors.hasErrors();
  }
}
