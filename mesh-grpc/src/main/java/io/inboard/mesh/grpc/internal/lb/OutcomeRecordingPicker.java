package io.inboard.mesh.grpc.internal.lb;

import io.grpc.ClientStreamTracer;
import io.grpc.LoadBalancer.PickResult;
import io.grpc.LoadBalancer.PickSubchannelArgs;
import io.grpc.LoadBalancer.Subchannel;
import io.grpc.LoadBalancer.SubchannelPicker;

/**
 * Wraps the child's picker: each pick of an endpoint's subchannel carries that endpoint's tracer,
 * which counts the attempt's final status. {@code copyWithStreamTracerFactory} replaces a tracer
 * the child set, so that one is chained behind ours. The pick hands the parent the subchannel it
 * created, not our wrappers (a {@link RecyclingSubchannel} gives its current connection, and
 * counts the stream when it closes idle connections).
 */
final class OutcomeRecordingPicker extends SubchannelPicker {

  private final SubchannelPicker delegate;

  OutcomeRecordingPicker(SubchannelPicker delegate) {
    this.delegate = delegate;
  }

  @Override
  public PickResult pickSubchannel(PickSubchannelArgs args) {
    PickResult result = delegate.pickSubchannel(args);
    Subchannel picked = result.getSubchannel();
    if (!(picked instanceof EjectableSubchannel ejectable)) {
      return result;
    }
    // copies rather than a new PickResult, so that fields later grpc versions add survive
    Subchannel target = ejectable.delegate();
    RecyclingSubchannel recycling = target instanceof RecyclingSubchannel r ? r : null;
    if (recycling != null) {
      target = recycling.pickTarget();
    }
    PickResult unwrapped = result.copyWithSubchannel(target);
    EndpointHealth endpoint = ejectable.endpoint;
    ClientStreamTracer.Factory tracers = result.getStreamTracerFactory();
    if (endpoint != null) {
      tracers = tracers == null ? endpoint.tracerFactory : endpoint.chainedWith(tracers);
    }
    if (recycling != null && recycling.countsStreams()) {
      tracers = recycling.countingStreams(tracers);
    }
    return tracers == null || tracers == result.getStreamTracerFactory() ? unwrapped
        : unwrapped.copyWithStreamTracerFactory(tracers);
  }

  @Override
  public String toString() {
    return "OutcomeRecordingPicker{" + delegate + '}';
  }
}
