package io.inboard.mesh.controlplane.internal.ca;

import java.util.Optional;

/**
 * Where a generated root survives restarts: the state directory in local mode, the Secret
 * {@code istio-ca-secret} in Kubernetes mode.
 */
public interface RootStore {
  /** The stored root, or empty on first start. */
  Optional<SigningAuthority> load();

  /** Stores {@code root} in place of the stored one. */
  void save(SigningAuthority root);

  /** A store that keeps nothing: the root lives as long as the process. */
  RootStore NONE = new RootStore() {
    @Override
    public Optional<SigningAuthority> load() {
      return Optional.empty();
    }

    @Override
    public void save(SigningAuthority root) {}
  };
}
