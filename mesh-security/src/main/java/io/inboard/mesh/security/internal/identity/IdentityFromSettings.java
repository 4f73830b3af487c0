package io.inboard.mesh.security.internal.identity;

import io.inboard.mesh.api.Mesh;
import java.util.Optional;

/** Makes a mesh's identity from its settings: the CA client, when one is configured. */
final class IdentityFromSettings {
  private IdentityFromSettings() {}

  static Optional<WorkloadIdentity> create(Mesh mesh) {
    // filled in by the CA client work (issue 9): no CA settings exist yet
    return Optional.empty();
  }
}
