package io.inboard.mesh.security.internal.identity;

import static java.util.Objects.requireNonNull;

import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.internal.InternalMesh;
import io.inboard.mesh.api.internal.InternalMesh.StateKey;
import java.util.Optional;

/**
 * The workload identity of a mesh, one per mesh, kept in the mesh's state and closed with it.
 */
public final class MeshIdentity {
  private static final StateKey<Holder> KEY = StateKey.of("workload identity", Holder.class);

  private MeshIdentity() {}

  /**
   * {@code mesh}'s identity: the one {@link #install installed}, else one made from the mesh's
   * settings on first use; empty when the mesh has no identity configured (then it neither
   * serves nor calls mTLS).
   */
  public static Optional<WorkloadIdentity> of(Mesh mesh) {
    return InternalMesh.state(mesh, KEY, () -> new Holder(IdentityFromSettings.create(mesh)))
        .identity;
  }

  /**
   * Makes {@code identity} {@code mesh}'s identity (tests, embedders with their own certificate
   * source). The mesh closes it.
   *
   * @throws IllegalStateException if the mesh already has an identity
   */
  public static void install(Mesh mesh, WorkloadIdentity identity) {
    requireNonNull(identity, "identity");
    Holder h = InternalMesh.state(mesh, KEY, () -> new Holder(Optional.of(identity)));
    if (h.identity.orElse(null) != identity) {
      throw new IllegalStateException("mesh already has identity " + h.identity);
    }
  }

  private static final class Holder implements AutoCloseable {
    final Optional<WorkloadIdentity> identity;

    Holder(Optional<WorkloadIdentity> identity) {
      this.identity = identity;
    }

    @Override
    public void close() {
      identity.ifPresent(WorkloadIdentity::close);
    }
  }
}
