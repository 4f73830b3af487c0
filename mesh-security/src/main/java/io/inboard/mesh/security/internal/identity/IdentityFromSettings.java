package io.inboard.mesh.security.internal.identity;

import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.security.SpiffeId;
import java.util.Optional;

/**
 * Makes a mesh's identity from its settings: a {@link CaIdentity} for
 * {@code spiffe://<trustDomain>/ns/<namespace>/sa/<serviceAccount>} when identity is on.
 */
final class IdentityFromSettings {
  private IdentityFromSettings() {}

  /**
   * @throws IllegalArgumentException if the namespace or service account cannot be part of a
   *     SPIFFE ID
   */
  static Optional<WorkloadIdentity> create(Mesh mesh) {
    Mesh.Settings s = mesh.settings();
    return s.identity().map(identity -> CaIdentity.start(
        SpiffeId.of(identity.trustDomain(), s.namespace(), s.serviceAccount()), identity));
  }
}
