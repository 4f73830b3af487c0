package io.inboard.mesh.grpc.internal.lb;

import io.grpc.ClientStreamTracer;
import io.grpc.LoadBalancer.PickResult;
import io.grpc.LoadBalancer.PickSubchannelArgs;
import io.grpc.LoadBalancer.SubchannelPicker;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.util.ForwardingClientStreamTracer;
import io.inboard.mesh.grpc.internal.pool.ClusterPool;

/**
 * Istio's {@code maxRetries} for grpc's own retries (routes whose retries Inboard's route filter
 * does not run): a pick for a retry, recognised by the {@code grpc-previous-rpc-attempts} header
 * grpc's {@code RetriableStream} puts on every attempt after the first, is dropped with {@code
 * UNAVAILABLE} when the cluster already has {@code maxRetries} retries in flight; otherwise its
 * stream counts as a retry in flight until it closes.
 *
 * <p>Differences from Envoy, which returns the last try's response when the budget is spent
 * ({@code upstream_rq_retry_overflow}): grpc ends a call whose pick was dropped with the drop's
 * status, so such a call ends {@code UNAVAILABLE} with this picker's description instead of its
 * last try's status. The check (at the pick) and the count (once the stream exists) are apart, so
 * that a pick grpc repeats for one stream counts nothing; retries starting at the same instant may
 * exceed the limit by a few. Transparent retries (grpc's, of a stream that never reached the
 * server) carry no new attempt number and are not counted, as Envoy does not count its
 * connection-level retries.
 */
final class RetryBudgetPicker extends SubchannelPicker {

  private static final Metadata.Key<String> PREVIOUS_ATTEMPTS =
      Metadata.Key.of("grpc-previous-rpc-attempts", Metadata.ASCII_STRING_MARSHALLER);

  private final SubchannelPicker delegate;
  private final ClusterPoolHold pool;

  RetryBudgetPicker(SubchannelPicker delegate, ClusterPoolHold pool) {
    this.delegate = delegate;
    this.pool = pool;
  }

  @Override
  public PickResult pickSubchannel(PickSubchannelArgs args) {
    PickResult result = delegate.pickSubchannel(args);
    ClusterPool p = pool.current();
    if (p == null || result.getSubchannel() == null
        || !args.getHeaders().containsKey(PREVIOUS_ATTEMPTS)) {
      return result;
    }
    if (!p.retryRoom()) {
      return PickResult.withDrop(Status.UNAVAILABLE.withDescription("retry budget of cluster "
          + p.cluster() + " exhausted: " + p.limits().maxRetries()
          + " retries in flight (connectionPool.http.maxRetries)"));
    }
    ClientStreamTracer.Factory child = result.getStreamTracerFactory();
    return result.copyWithStreamTracerFactory(new ClientStreamTracer.Factory() {
      @Override
      public ClientStreamTracer newClientStreamTracer(ClientStreamTracer.StreamInfo info,
          Metadata headers) {
        ClientStreamTracer inner = child != null ? child.newClientStreamTracer(info, headers)
            : new ClientStreamTracer() {};
        p.retryStarted();
        return new ForwardingClientStreamTracer() {
          private boolean closed;

          @Override
          protected ClientStreamTracer delegate() {
            return inner;
          }

          @Override
          public void streamClosed(Status status) {
            if (!closed) {
              closed = true;
              p.retryDone();
            }
            super.streamClosed(status);
          }
        };
      }
    });
  }

  @Override
  public String toString() {
    return "RetryBudgetPicker{" + delegate + '}';
  }
}
