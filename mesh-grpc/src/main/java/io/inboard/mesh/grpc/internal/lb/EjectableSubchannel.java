package io.inboard.mesh.grpc.internal.lb;

import io.grpc.ConnectivityStateInfo;
import io.grpc.EquivalentAddressGroup;
import io.grpc.LoadBalancer.Subchannel;
import io.grpc.LoadBalancer.SubchannelStateListener;
import io.grpc.Status;
import io.grpc.SynchronizationContext;
import io.grpc.util.ForwardingSubchannel;
import java.util.List;

/**
 * The subchannel the child policy sees: while its endpoint is ejected (and the cluster is not in
 * panic) it reports TRANSIENT_FAILURE, so the child stops picking it, as grpc's own outlier
 * detection does; on return the child gets the subchannel's real state again.
 */
final class EjectableSubchannel extends ForwardingSubchannel {

  private static final ConnectivityStateInfo EJECTED = ConnectivityStateInfo.forTransientFailure(
      Status.UNAVAILABLE.withDescription("endpoint ejected by outlier detection "
          + "(consecutive errors)"));

  private final Subchannel delegate;
  private final SynchronizationContext syncContext;
  private final OutlierEjectionLoadBalancer balancer;
  /** Read by pickers on any thread; set on the synchronization context. */
  volatile EndpointHealth endpoint;
  private SubchannelStateListener listener;
  private ConnectivityStateInfo lastState;
  private boolean hidden;

  EjectableSubchannel(Subchannel delegate, SynchronizationContext syncContext,
      OutlierEjectionLoadBalancer balancer) {
    this.delegate = delegate;
    this.syncContext = syncContext;
    this.balancer = balancer;
  }

  @Override
  protected Subchannel delegate() {
    return delegate;
  }

  @Override
  public void start(SubchannelStateListener listener) {
    this.listener = listener;
    delegate.start(state -> {
      lastState = state;
      if (!hidden) {
        listener.onSubchannelState(state);
      }
    });
    if (hidden) {
      // after the child's current work: it does not expect a state from inside start()
      syncContext.execute(() -> {
        if (hidden) {
          listener.onSubchannelState(EJECTED);
        }
      });
    }
  }

  /** Hides the subchannel behind TRANSIENT_FAILURE, or shows its real state; sync context. */
  void hidden(boolean hide) {
    if (hide == hidden) {
      return;
    }
    hidden = hide;
    if (listener == null) {
      return;
    }
    if (hide) {
      listener.onSubchannelState(EJECTED);
    } else if (lastState != null) {
      listener.onSubchannelState(lastState);
    }
  }

  @Override
  public void updateAddresses(List<EquivalentAddressGroup> addresses) {
    balancer.track(this, addresses);
    delegate.updateAddresses(addresses);
  }

  @Override
  public void shutdown() {
    balancer.untrack(this);
    delegate.shutdown();
  }

  @Override
  public String toString() {
    return "EjectableSubchannel{" + delegate + '}';
  }
}
