package io.inboard.mesh.security.internal.inbound;

import static java.util.Objects.requireNonNull;

import io.inboard.mesh.api.DiscoveryMode;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.internal.InternalMesh;
import io.inboard.mesh.api.internal.InternalMesh.StateKey;
import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A mesh's inbound mTLS policy in force, one per mesh: {@link InboundMtlsPolicy#DEFAULT} until
 * the control plane's {@code virtualInbound} listener says otherwise. Servers read {@link
 * #policy()} per connection, so a PeerAuthentication change applies to the next connection.
 *
 * <p>In xDS mode the holder watches that listener from its creation (see
 * {@link VirtualInboundPolicy} for how it is read) until the mesh closes; in other modes the
 * policy is what {@link #set} puts in force. A server that must not accept plaintext before the
 * control plane has spoken should {@link #awaitFirstPolicy wait} for it first.
 */
public final class InboundMtls implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(InboundMtls.class);
  private static final StateKey<InboundMtls> KEY = StateKey.of("inbound mTLS", InboundMtls.class);

  private final CopyOnWriteArrayList<Consumer<InboundMtlsPolicy>> listeners =
      new CopyOnWriteArrayList<>();
  private final CountDownLatch first = new CountDownLatch(1);
  private volatile InboundMtlsPolicy policy = InboundMtlsPolicy.DEFAULT;
  private volatile AutoCloseable watch;

  private InboundMtls() {}

  /**
   * {@code mesh}'s inbound policy holder, made on first use; in xDS mode it starts watching the
   * control plane's {@code virtualInbound} listener then.
   */
  public static InboundMtls of(Mesh mesh) {
    return InternalMesh.state(mesh, KEY, () -> {
      InboundMtls holder = new InboundMtls();
      if (mesh.settings().discoveryMode() == DiscoveryMode.XDS) {
        holder.watch = new VirtualInboundWatch(mesh, holder::set);
      }
      return holder;
    });
  }

  /**
   * {@code mesh}'s holder for a server about to listen: in xDS mode it first waits, up to the
   * mesh's {@code initialConfigTimeout}, for the control plane's policy, so that a STRICT port
   * never accepts plaintext in its first moments; on timeout it logs and goes on with
   * {@link InboundMtlsPolicy#DEFAULT} (PERMISSIVE) until the policy arrives.
   */
  public static InboundMtls forServer(Mesh mesh) {
    InboundMtls holder = of(mesh);
    if (mesh.settings().discoveryMode() == DiscoveryMode.XDS) {
      Duration timeout = mesh.settings().initialConfigTimeout();
      try {
        if (!holder.awaitFirstPolicy(timeout)) {
          log.warn("no inbound mTLS policy from the control plane after {}: serving PERMISSIVE "
              + "until it arrives", timeout);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return holder;
  }

  /**
   * Waits until a policy was {@link #set} (in xDS mode: the control plane's listener arrived, or
   * the control plane said it has none), for at most {@code timeout}.
   *
   * @return whether one was; if not, {@link #policy()} is still {@link InboundMtlsPolicy#DEFAULT}
   */
  public boolean awaitFirstPolicy(Duration timeout) throws InterruptedException {
    return first.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** The policy in force. */
  public InboundMtlsPolicy policy() {
    return policy;
  }

  /**
   * Puts {@code next} in force and tells the listeners, if it differs from the policy in force.
   */
  public synchronized void set(InboundMtlsPolicy next) {
    requireNonNull(next, "next");
    boolean changed = !next.equals(policy);
    policy = next;
    first.countDown();
    if (changed) {
      listeners.forEach(l -> l.accept(next));
    }
  }

  /**
   * Calls {@code listener} with every new policy, on the thread that sets it (the xDS watch's
   * own thread in xDS mode); it must not block.
   */
  public void addListener(Consumer<InboundMtlsPolicy> listener) {
    listeners.add(requireNonNull(listener, "listener"));
  }

  /** Removes a listener added with {@link #addListener} (a server that stopped). */
  public void removeListener(Consumer<InboundMtlsPolicy> listener) {
    listeners.remove(listener);
  }

  /** Stops watching the control plane. */
  @Override
  public void close() throws Exception {
    AutoCloseable w = watch;
    if (w != null) {
      w.close();
    }
  }
}
