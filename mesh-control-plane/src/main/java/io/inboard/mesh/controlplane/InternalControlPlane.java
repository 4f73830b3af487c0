package io.inboard.mesh.controlplane;

import io.inboard.mesh.controlplane.internal.ControlPlaneEngine;
import io.inboard.mesh.controlplane.internal.inject.InjectionWebhook;
import java.util.Optional;

/**
 * A bridge for Inboard's own packages (the Kubernetes source, tests) to the engine behind a
 * {@link ControlPlane}, so that the facade needs no public method for them. Not API: it may
 * change at any time.
 */
public final class InternalControlPlane {
  private InternalControlPlane() {}

  /** The engine {@code controlPlane} delegates to. */
  public static ControlPlaneEngine engine(ControlPlane controlPlane) {
    return controlPlane.engine();
  }

  /** The injection webhook {@code controlPlane} serves, unless it is disabled. */
  public static Optional<InjectionWebhook> injectionWebhook(ControlPlane controlPlane) {
    return controlPlane.injectionWebhook();
  }
}
