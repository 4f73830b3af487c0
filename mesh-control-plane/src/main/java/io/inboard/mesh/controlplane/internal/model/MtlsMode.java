package io.inboard.mesh.controlplane.internal.model;

/** A PeerAuthentication mode, as Istio's {@code PeerAuthentication.MutualTLS.Mode}. */
public enum MtlsMode {
  /** Inherits the mode of the enclosing scope (mesh, namespace, workload, port). */
  UNSET,
  /** Plaintext only. */
  DISABLE,
  /** mTLS and plaintext both accepted: the default when no policy says otherwise. */
  PERMISSIVE,
  /** mTLS only. */
  STRICT;

  /** This mode, or {@code inherited} when this is {@link #UNSET}. */
  public MtlsMode orElse(MtlsMode inherited) {
    return this == UNSET ? inherited : this;
  }
}
