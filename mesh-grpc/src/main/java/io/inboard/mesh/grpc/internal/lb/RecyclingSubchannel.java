package io.inboard.mesh.grpc.internal.lb;

import io.grpc.ConnectivityState;
import io.grpc.ConnectivityStateInfo;
import io.grpc.EquivalentAddressGroup;
import io.grpc.LoadBalancer.CreateSubchannelArgs;
import io.grpc.LoadBalancer.Helper;
import io.grpc.LoadBalancer.Subchannel;
import io.grpc.LoadBalancer.SubchannelStateListener;
import io.grpc.SynchronizationContext;
import io.grpc.util.ForwardingSubchannel;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * Istio's {@code maxRequestsPerConnection} for gRPC: one endpoint's subchannel (one HTTP/2
 * connection in grpc) that has been picked for that many calls since it connected is replaced.
 * A fresh subchannel for the same addresses connects; once it is READY, picks move to it and the
 * old one is shut down, which lets its calls in flight finish (grpc closes its transport
 * gracefully). Picks keep going to the old connection while the fresh one connects, so a
 * connection may carry a few calls more than the limit (Envoy instead makes them wait for the new
 * connection). The child policy sees one subchannel throughout: the replacement's states are not
 * shown to it until the swap, and the old one's shutdown never is, so it sees no flap. A fresh
 * subchannel that fails to connect is dropped and tried again on a later pick.
 *
 * <p>Calls are counted at the pick ({@link #pickTarget}); a pick grpc repeats for one call counts
 * twice, which can only bring a replacement forward. Everything but counting runs on the
 * channel's synchronization context.
 */
final class RecyclingSubchannel extends ForwardingSubchannel {

  private final Helper helper;
  private final SynchronizationContext syncContext;
  private final IntSupplier maxCalls;
  private final AtomicInteger calls = new AtomicInteger();
  private final AtomicBoolean replacing = new AtomicBoolean();
  /** Read by pickers on any thread; swapped on the synchronization context. */
  private volatile Subchannel current;
  private CreateSubchannelArgs args;
  private Subchannel fresh;
  private SubchannelStateListener listener;
  private ConnectivityState currentState = ConnectivityState.IDLE;
  private boolean shutdown;

  /**
   * @param maxCalls the current {@code maxRequestsPerConnection}, 0 for unlimited (read per pick,
   *     so that config changes apply)
   */
  RecyclingSubchannel(Helper helper, CreateSubchannelArgs args, IntSupplier maxCalls) {
    this.helper = helper;
    this.syncContext = helper.getSynchronizationContext();
    this.args = args;
    this.maxCalls = maxCalls;
    this.current = helper.createSubchannel(args);
  }

  @Override
  protected Subchannel delegate() {
    return current;
  }

  /** The subchannel a pick of this one goes to; counts the call, may start a replacement. */
  Subchannel pickTarget() {
    Subchannel target = current;
    int max = maxCalls.getAsInt();
    if (max > 0 && calls.incrementAndGet() >= max && replacing.compareAndSet(false, true)) {
      syncContext.execute(this::replace);
    }
    return target;
  }

  @Override
  public void start(SubchannelStateListener listener) {
    this.listener = listener;
    Subchannel first = current;
    first.start(state -> onState(first, state));
  }

  @Override
  public void requestConnection() {
    current.requestConnection();
  }

  @Override
  public void updateAddresses(List<EquivalentAddressGroup> addresses) {
    args = args.toBuilder().setAddresses(addresses).build();
    current.updateAddresses(addresses);
    if (fresh != null) {
      fresh.updateAddresses(addresses);
    }
  }

  @Override
  public void shutdown() {
    shutdown = true;
    current.shutdown();
    if (fresh != null) {
      fresh.shutdown();
      fresh = null;
    }
  }

  private void replace() {
    if (shutdown || fresh != null || currentState != ConnectivityState.READY) {
      // not connected: its next connection starts counting afresh anyway
      replacing.set(false);
      return;
    }
    Subchannel next = helper.createSubchannel(args);
    fresh = next;
    next.start(state -> onState(next, state));
    next.requestConnection();
  }

  private void onState(Subchannel from, ConnectivityStateInfo state) {
    if (shutdown) {
      return;
    }
    if (from == current) {
      if (state.getState() == ConnectivityState.READY && currentState != ConnectivityState.READY) {
        calls.set(0); // a new connection
      }
      currentState = state.getState();
      listener.onSubchannelState(state);
    } else if (from == fresh) {
      switch (state.getState()) {
        case READY -> {
          Subchannel old = current;
          boolean wasReady = currentState == ConnectivityState.READY;
          current = from;
          fresh = null;
          currentState = ConnectivityState.READY;
          calls.set(0);
          replacing.set(false);
          old.shutdown(); // lets its calls in flight finish
          if (!wasReady) {
            listener.onSubchannelState(state);
          }
        }
        case TRANSIENT_FAILURE -> {
          fresh = null;
          from.shutdown();
          replacing.set(false); // the next pick tries again
        }
        case IDLE -> from.requestConnection();
        default -> { }
      }
    }
    // else: a replaced subchannel, shut down: the child never hears of it
  }

  @Override
  public String toString() {
    return "RecyclingSubchannel{" + current + '}';
  }
}
