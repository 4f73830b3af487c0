package io.inboard.mesh.grpc.internal.lb;

import io.grpc.ClientStreamTracer;
import io.grpc.ConnectivityState;
import io.grpc.ConnectivityStateInfo;
import io.grpc.EquivalentAddressGroup;
import io.grpc.LoadBalancer.CreateSubchannelArgs;
import io.grpc.LoadBalancer.Helper;
import io.grpc.LoadBalancer.Subchannel;
import io.grpc.LoadBalancer.SubchannelStateListener;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.SynchronizationContext;
import io.grpc.SynchronizationContext.ScheduledHandle;
import io.grpc.util.ForwardingClientStreamTracer;
import io.grpc.util.ForwardingSubchannel;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * One endpoint's subchannel (one HTTP/2 connection in grpc) whose connection is replaced under
 * Istio's {@code http.maxRequestsPerConnection} and closed under its {@code http.idleTimeout}.
 *
 * <ul>
 *   <li><b>Recycling.</b> A connection that has been picked for {@code maxRequestsPerConnection}
 *       calls since it connected is replaced: a fresh subchannel for the same addresses
 *       connects; once it is READY, picks move to it and the old one is shut down, which lets
 *       its calls in flight finish (grpc closes its transport gracefully). Picks keep going to
 *       the old connection while the fresh one connects, so a connection may carry a few calls
 *       more than the limit (Envoy instead makes them wait for the new connection). A fresh
 *       subchannel that fails to connect is dropped and tried again on a later pick.
 *   <li><b>Idle close.</b> A READY connection that has had no stream open for {@code
 *       idleTimeout} is shut down, as Envoy closes an upstream connection with no active
 *       requests. An unconnected subchannel takes its place and the child still sees READY, so
 *       the endpoint keeps its share of picks without a reconnect storm: the next call picked
 *       for it makes grpc connect and waits in grpc's pending-call queue; when the connection is
 *       READY the balancer's picker is issued again ({@code repick}), which replays those calls.
 *       If that connection fails, the child hears TRANSIENT_FAILURE as for any lost connection.
 *       grpc closes a shut-down subchannel's transport after its own grace delay (5 s in grpc
 *       1.85), so the connection ends that much after the idle timeout.
 * </ul>
 *
 * <p>The child policy sees one subchannel throughout: the replacements' states are not shown to
 * it until they matter, and a replaced subchannel's shutdown never is, so it sees no flap.
 *
 * <p>Calls are counted at the pick ({@link #pickTarget}); a pick grpc repeats for one call counts
 * twice, which can only bring a replacement forward. Open streams are counted by a stream tracer
 * ({@link #countingStreams}) only while an idle timeout is set. Everything but counting runs on
 * the channel's synchronization context.
 */
final class RecyclingSubchannel extends ForwardingSubchannel {

  private final Helper helper;
  private final SynchronizationContext syncContext;
  private final IntSupplier maxCalls;
  private final LongSupplier idleNanos;
  private final Runnable repick;
  private final AtomicInteger calls = new AtomicInteger();
  private final AtomicBoolean replacing = new AtomicBoolean();
  /** Streams open on any of this endpoint's connections (counted with an idle timeout only). */
  private final AtomicInteger openStreams = new AtomicInteger();
  /** When {@link #openStreams} last fell to 0, or the connection became READY. */
  private volatile long idleSinceNanos;
  /** Whether an idle check is scheduled or about to be. */
  private final AtomicBoolean idleCheckPending = new AtomicBoolean();
  /** Read by pickers on any thread; swapped on the synchronization context. */
  private volatile Subchannel current;
  private CreateSubchannelArgs args;
  private Subchannel fresh;
  private SubchannelStateListener listener;
  private ConnectivityState currentState = ConnectivityState.IDLE;
  /** The current subchannel replaced an idle connection and has not connected yet. */
  private boolean dormant;
  private ScheduledHandle idleCheck;
  private boolean shutdown;

  // one stateless tracer counts every stream when the pick carries no other tracer
  private final ClientStreamTracer streamEnd = new ClientStreamTracer() {
    @Override
    public void streamClosed(Status status) {
      streamClosedNow();
    }
  };
  private final ClientStreamTracer.Factory streamCounter = new ClientStreamTracer.Factory() {
    @Override
    public ClientStreamTracer newClientStreamTracer(ClientStreamTracer.StreamInfo info,
        Metadata headers) {
      openStreams.incrementAndGet();
      return streamEnd;
    }
  };

  /**
   * @param maxCalls the current {@code maxRequestsPerConnection}, 0 for unlimited (read per pick,
   *     so that config changes apply)
   * @param idleNanos the current idle timeout in nanoseconds, 0 for none (read when a
   *     connection falls idle)
   * @param repick issues the balancer's current picker again, on the synchronization context
   */
  RecyclingSubchannel(Helper helper, CreateSubchannelArgs args, IntSupplier maxCalls,
      LongSupplier idleNanos, Runnable repick) {
    this.helper = helper;
    this.syncContext = helper.getSynchronizationContext();
    this.args = args;
    this.maxCalls = maxCalls;
    this.idleNanos = idleNanos;
    this.repick = repick;
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

  /** Whether picks must count their streams ({@link #countingStreams}): an idle timeout is set. */
  boolean countsStreams() {
    return idleNanos.getAsLong() > 0;
  }

  /** A tracer factory that counts each stream open until it closes, then runs {@code inner}'s. */
  ClientStreamTracer.Factory countingStreams(ClientStreamTracer.Factory inner) {
    if (inner == null) {
      return streamCounter;
    }
    return new ClientStreamTracer.Factory() {
      @Override
      public ClientStreamTracer newClientStreamTracer(ClientStreamTracer.StreamInfo info,
          Metadata headers) {
        ClientStreamTracer delegate = inner.newClientStreamTracer(info, headers);
        openStreams.incrementAndGet();
        return new ForwardingClientStreamTracer() {
          @Override
          protected ClientStreamTracer delegate() {
            return delegate;
          }

          @Override
          public void streamClosed(Status status) {
            streamClosedNow();
            delegate.streamClosed(status);
          }
        };
      }
    };
  }

  private void streamClosedNow() {
    if (openStreams.decrementAndGet() == 0) {
      idleSinceNanos = System.nanoTime();
      // a read first: while a check is pending (nearly always, under load) nothing is written
      if (!idleCheckPending.get() && idleCheckPending.compareAndSet(false, true)) {
        syncContext.execute(() -> scheduleIdleCheck(idleNanos.getAsLong()));
      }
    }
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
    cancelIdleCheck();
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

  /** Schedules the idle check in {@code delayNanos}; {@link #idleCheckPending} is set. */
  private void scheduleIdleCheck(long delayNanos) {
    if (shutdown || delayNanos <= 0) {
      idleCheckPending.set(false);
      return;
    }
    cancelIdleCheck();
    idleCheck = syncContext.schedule(this::checkIdle, delayNanos, TimeUnit.NANOSECONDS,
        helper.getScheduledExecutorService());
  }

  private void checkIdle() {
    idleCheck = null;
    // cleared before reading the count: a stream closing from now on schedules a new check
    idleCheckPending.set(false);
    long timeout = idleNanos.getAsLong();
    if (shutdown || timeout <= 0 || currentState != ConnectivityState.READY
        || openStreams.get() > 0) {
      return;
    }
    long idleFor = System.nanoTime() - idleSinceNanos;
    if (idleFor >= timeout) {
      closeIdle();
    } else if (idleCheckPending.compareAndSet(false, true)) {
      scheduleIdleCheck(timeout - idleFor);
    }
  }

  /** Shuts the idle connection down; an unconnected subchannel stands in for it. */
  private void closeIdle() {
    if (fresh != null) {
      fresh.shutdown(); // a recycling replacement under way: the endpoint is idle anyway
      fresh = null;
      replacing.set(false);
    }
    Subchannel old = current;
    Subchannel next = helper.createSubchannel(args);
    current = next;
    currentState = ConnectivityState.IDLE;
    dormant = true;
    calls.set(0);
    next.start(state -> onState(next, state));
    old.shutdown();
  }

  private void cancelIdleCheck() {
    if (idleCheck != null) {
      idleCheck.cancel();
      idleCheck = null;
    }
  }

  private void onState(Subchannel from, ConnectivityStateInfo state) {
    if (shutdown) {
      return;
    }
    if (from == current) {
      ConnectivityState s = state.getState();
      if (s == ConnectivityState.READY && currentState != ConnectivityState.READY) {
        calls.set(0); // a new connection
        becameReady();
      }
      boolean wasDormant = dormant;
      if (wasDormant && (s == ConnectivityState.IDLE || s == ConnectivityState.CONNECTING)) {
        return; // the child still believes the endpoint READY: a pick makes it connect
      }
      currentState = s;
      dormant = false;
      if (wasDormant && s == ConnectivityState.READY) {
        repick.run(); // replays the calls that waited for this connection
      } else {
        listener.onSubchannelState(state);
      }
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
          becameReady();
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

  /** A connection came up: idle from now unless streams are open. */
  private void becameReady() {
    idleSinceNanos = System.nanoTime();
    long timeout = idleNanos.getAsLong();
    if (timeout > 0 && openStreams.get() == 0 && idleCheckPending.compareAndSet(false, true)) {
      scheduleIdleCheck(timeout);
    }
  }

  @Override
  public String toString() {
    return "RecyclingSubchannel{" + current + '}';
  }
}
