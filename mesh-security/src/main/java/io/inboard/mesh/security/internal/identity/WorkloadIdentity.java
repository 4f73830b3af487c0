package io.inboard.mesh.security.internal.identity;

import io.inboard.mesh.security.SpiffeId;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A workload's certificates, kept current: the key and trust managers of both data planes read
 * {@link #current()} at each handshake, and certificate providers that must be pushed to (grpc-xds)
 * subscribe with {@link #addListener}.
 */
public interface WorkloadIdentity extends AutoCloseable {

  /** Who this workload is. */
  SpiffeId id();

  /** The material in force, or empty before the first certificate arrived. */
  Optional<IdentityMaterial> current();

  /**
   * Calls {@code listener} with every new generation (a renewed leaf or changed roots), and at
   * once with the current one if there is one. Listeners run on the identity's own thread and
   * must not block.
   */
  void addListener(Consumer<IdentityMaterial> listener);

  /** Removes a listener added with {@link #addListener}. */
  void removeListener(Consumer<IdentityMaterial> listener);

  /** Stops renewing. Material already handed out stays usable until it expires. */
  @Override
  void close();
}
