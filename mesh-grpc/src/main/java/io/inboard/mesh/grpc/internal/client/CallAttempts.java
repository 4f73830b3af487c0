package io.inboard.mesh.grpc.internal.client;

import io.grpc.ClientStreamTracer;
import io.grpc.Metadata;
import io.inboard.mesh.api.internal.telemetry.MeshTracing;

/**
 * One outbound call's attempts, as gRPC makes them: gRPC asks this factory (which the call's
 * options carry) for one {@link AttemptTracer} per attempt, the first, each retry, each hedge
 * and each transparent retry, after its load balancer picked. It keeps them linked, newest
 * first, so the call's report can read the attempt that answered and the earlier ones' codes.
 */
final class CallAttempts extends ClientStreamTracer.Factory {

  /** grpc-xds names the cluster a pick went to with this optional label (gRFC A78). */
  static final String BACKEND_SERVICE_LABEL = "grpc.lb.backend_service";

  private final MeshTracing.CallSpan span;
  private volatile AttemptTracer last;
  private volatile AttemptTracer answered;
  private volatile String cluster;

  CallAttempts(MeshTracing.CallSpan span) {
    this.span = span;
  }

  @Override
  public ClientStreamTracer newClientStreamTracer(ClientStreamTracer.StreamInfo info,
      Metadata headers) {
    // gRPC creates the attempts of one call one at a time, under its retry lock
    int number = info.getPreviousAttempts() + 1;
    AttemptTracer previous = last;
    if (previous != null && info.isTransparentRetry()) {
      previous.retriedTransparently();
    }
    AttemptTracer t = new AttemptTracer(this, number, previous, span.startAttempt(number));
    last = t;
    return t;
  }

  void answeredBy(AttemptTracer t) {
    answered = t;
  }

  void cluster(String name) {
    cluster = name;
  }

  /** The cluster grpc-xds picked from, or {@code null} when it did not say. */
  String cluster() {
    return cluster;
  }

  /**
   * The attempt that received the response (the last one that received headers or trailers),
   * else the last one made, else {@code null} when the call never reached the load balancer.
   */
  AttemptTracer ending() {
    AttemptTracer a = answered;
    return a != null ? a : last;
  }

  /** How many attempts went out, transparent retries not counted. */
  int count() {
    AttemptTracer l = last;
    return l == null ? 0 : l.number();
  }

  /** The {@code 1 << code} bits of the statuses of every attempt but {@code ending}. */
  int earlierCodes(AttemptTracer ending) {
    int codes = 0;
    for (AttemptTracer t = last; t != null; t = t.previous()) {
      if (t != ending) {
        codes |= t.codeBit();
      }
    }
    return codes;
  }
}
