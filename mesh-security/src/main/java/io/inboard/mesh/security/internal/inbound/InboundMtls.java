package io.inboard.mesh.security.internal.inbound;

import static java.util.Objects.requireNonNull;

import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.internal.InternalMesh;
import io.inboard.mesh.api.internal.InternalMesh.StateKey;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A mesh's inbound mTLS policy in force, one per mesh: {@link InboundMtlsPolicy#DEFAULT} until
 * the control plane's {@code virtualInbound} listener says otherwise. Servers read {@link
 * #policy()} per connection, so a PeerAuthentication change applies to the next connection.
 */
public final class InboundMtls {
  private static final StateKey<InboundMtls> KEY = StateKey.of("inbound mTLS", InboundMtls.class);

  private final CopyOnWriteArrayList<Consumer<InboundMtlsPolicy>> listeners =
      new CopyOnWriteArrayList<>();
  private volatile InboundMtlsPolicy policy = InboundMtlsPolicy.DEFAULT;

  private InboundMtls() {}

  /** {@code mesh}'s inbound policy holder, made on first use. */
  public static InboundMtls of(Mesh mesh) {
    return InternalMesh.state(mesh, KEY, InboundMtls::new);
  }

  /** The policy in force. */
  public InboundMtlsPolicy policy() {
    return policy;
  }

  /** Puts {@code next} in force and tells the listeners. */
  public synchronized void set(InboundMtlsPolicy next) {
    policy = requireNonNull(next, "next");
    listeners.forEach(l -> l.accept(next));
  }

  /** Calls {@code listener} with every new policy. */
  public void addListener(Consumer<InboundMtlsPolicy> listener) {
    listeners.add(requireNonNull(listener, "listener"));
  }
}
