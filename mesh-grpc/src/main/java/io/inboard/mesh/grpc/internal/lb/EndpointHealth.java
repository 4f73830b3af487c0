package io.inboard.mesh.grpc.internal.lb;

import io.grpc.ClientStreamTracer;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.util.ForwardingClientStreamTracer;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One endpoint's consecutive-error counters and ejection state. Attempts are counted from any
 * thread, lock-free (two atomics, written only when they change); reaching a threshold hands the
 * decision to the balancer's synchronization context, as Envoy posts it to its main thread. The
 * ejection fields are only touched there.
 */
final class EndpointHealth {

  /** The consecutive check whose threshold was reached. */
  enum Check { CONSECUTIVE_5XX, CONSECUTIVE_GATEWAY }

  final Set<SocketAddress> addresses;
  private final OutlierEjectionLoadBalancer balancer;
  private final AtomicInteger consecutive5xx = new AtomicInteger();
  private final AtomicInteger consecutiveGateway = new AtomicInteger();
  private volatile int max5xx;
  private volatile int maxGateway;

  // one stateless tracer serves every attempt to this endpoint: nothing is allocated per call
  // unless the child's pick carries its own tracer
  private final ClientStreamTracer tracer = new ClientStreamTracer() {
    @Override
    public void streamClosed(Status status) {
      record(status);
    }
  };
  final ClientStreamTracer.Factory tracerFactory = new ClientStreamTracer.Factory() {
    @Override
    public ClientStreamTracer newClientStreamTracer(ClientStreamTracer.StreamInfo info,
        Metadata headers) {
      return tracer;
    }
  };

  // synchronization context only
  final List<EjectableSubchannel> subchannels = new ArrayList<>();
  boolean ejected;
  long ejectedAtNanos;
  boolean everReturned;
  long returnedAtNanos;
  /** Envoy's ejection-time backoff: this ejection lasts base time × multiplier. */
  int multiplier;

  EndpointHealth(Set<SocketAddress> addresses, OutlierEjectionLoadBalancer balancer) {
    this.addresses = addresses;
    this.balancer = balancer;
  }

  void thresholds(OutlierEjectionConfig config) {
    max5xx = config.consecutive5xx();
    maxGateway = config.consecutiveGatewayErrors();
  }

  /** Counts one attempt's final status; any thread. */
  void record(Status status) {
    switch (AttemptOutcome.of(status)) {
      case SUCCESS -> {
        clear(consecutive5xx);
        clear(consecutiveGateway);
      }
      case SERVER_ERROR -> {
        // as Envoy: a 5xx that is no gateway error breaks the run of gateway errors
        clear(consecutiveGateway);
        count(consecutive5xx, max5xx, Check.CONSECUTIVE_5XX);
      }
      case GATEWAY_ERROR -> {
        count(consecutiveGateway, maxGateway, Check.CONSECUTIVE_GATEWAY);
        count(consecutive5xx, max5xx, Check.CONSECUTIVE_5XX);
      }
      case IGNORED -> { }
    }
  }

  /** A factory recording this endpoint's attempts and then passing them to {@code child}'s. */
  ClientStreamTracer.Factory chainedWith(ClientStreamTracer.Factory child) {
    return new ClientStreamTracer.Factory() {
      @Override
      public ClientStreamTracer newClientStreamTracer(ClientStreamTracer.StreamInfo info,
          Metadata headers) {
        ClientStreamTracer delegate = child.newClientStreamTracer(info, headers);
        return new ForwardingClientStreamTracer() {
          @Override
          protected ClientStreamTracer delegate() {
            return delegate;
          }

          @Override
          public void streamClosed(Status status) {
            record(status);
            delegate.streamClosed(status);
          }
        };
      }
    };
  }

  /** Restarts the count of {@code check}, after it triggered (Envoy counts anew). */
  void reset(Check check) {
    (check == Check.CONSECUTIVE_5XX ? consecutive5xx : consecutiveGateway).set(0);
  }

  void resetAll() {
    consecutive5xx.set(0);
    consecutiveGateway.set(0);
  }

  private void count(AtomicInteger counter, int threshold, Check check) {
    // == rather than >=: one hand-off per run, as Envoy's detector
    if (threshold > 0 && counter.incrementAndGet() == threshold) {
      balancer.thresholdReached(this, check);
    }
  }

  private static void clear(AtomicInteger counter) {
    // a read first: successes are the common case and need not write a shared line
    if (counter.get() != 0) {
      counter.set(0);
    }
  }
}
