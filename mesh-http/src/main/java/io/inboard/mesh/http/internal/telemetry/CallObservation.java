package io.inboard.mesh.http.internal.telemetry;

import io.inboard.mesh.api.context.RequestContext;
import io.inboard.mesh.api.inbound.InboundRequest.Protocol;
import io.inboard.mesh.api.internal.telemetry.MeshTracing;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * What one logical outbound call has come to so far, filled by the stages it passes (routing,
 * faults, the retrying call, each attempt) and read once when it ends, to build its report and
 * end its span. Made only while telemetry records or traces; a call without one skips all this.
 *
 * <p>The stages of a call run one after another (each starts from the previous one's
 * completion); the fields are volatile because a deadline may end the call on another thread.
 */
public final class CallObservation {

  final long startNanos = System.nanoTime();
  final long startEpochMillis = System.currentTimeMillis();
  final HttpRequest request;
  final MeshTracing tracing;
  final MeshTracing.CallSpan span;
  final RequestContext parent;
  final boolean mirror;

  private volatile int flags;
  private volatile ResponseFlags.Reply reply;
  private volatile ResponseFlags.Reply local;
  private volatile String routeName = "";
  private volatile ClusterStats cluster;
  private volatile String upstreamHost = "";
  private volatile long attemptStartNanos;
  private volatile long serviceTimeMillis = -1;
  private volatile int attempts;
  volatile long responseBytes = -1;

  CallObservation(HttpRequest request, MeshTracing tracing, RequestContext parent,
      boolean mirror) {
    this.request = request;
    this.tracing = tracing;
    this.parent = parent;
    this.mirror = mirror;
    this.span = tracing == MeshTracing.NOOP ? MeshTracing.CallSpan.NOOP
        : tracing.startCall(request.method(), Protocol.HTTP, parent);
  }

  /**
   * The observation of a mirrored copy of this call ({@code copy} is what is sent): its own
   * span beside this call's, never reported as a request of its own (a sidecar's shadow
   * requests are not in Istio's metrics either); {@code null} when nothing is traced.
   */
  public CallObservation mirror(HttpRequest copy) {
    return tracing == MeshTracing.NOOP ? null : new CallObservation(copy, tracing, parent, true);
  }

  /** Adds Envoy flags ({@link ResponseFlags} bits) to the call's. */
  public void flag(int bits) {
    flags |= bits;
  }

  /**
   * The call ends without a response, as this local reply (which overrides what its failure
   * would read as); the flag is added only if no response comes after all.
   */
  public void reply(ResponseFlags.Reply r) {
    reply = r;
  }

  /** The client answered the call itself (no route, fault abort); its flag is added. */
  public void answeredLocally(ResponseFlags.Reply r) {
    local = r;
    flags |= r.flag();
  }

  /** The xDS route that matched, if it has a name. */
  public void routeName(String name) {
    routeName = name;
  }

  /** The cluster the call goes to. */
  public void cluster(ClusterStats c) {
    cluster = c;
  }

  /**
   * Starts an attempt sent to {@code host} ({@code ip:port}) of {@code c}: its span, or
   * {@code null} when nothing is traced (the request's trace headers then go as they are).
   */
  public MeshTracing.Attempt startAttempt(ClusterStats c, String host) {
    cluster = c;
    upstreamHost = host;
    attemptStartNanos = System.nanoTime();
    serviceTimeMillis = -1;
    int n = ++attempts;
    return tracing == MeshTracing.NOOP ? null : span.startAttempt(n);
  }

  /** Ends an attempt's span (if any) with its response or failure. */
  public void endAttempt(MeshTracing.Attempt a, HttpResponse<?> response, Throwable failure,
      String host) {
    if (a == null) {
      return;
    }
    if (response != null) {
      a.end(response.statusCode(), "", "-", host, null);
    } else {
      ResponseFlags.Reply r = ResponseFlags.of(failure);
      a.end(0, "", ResponseFlags.text(r.flag()), host, failure);
    }
  }

  /** The response headers of the current attempt arrived: its service time ends here. */
  void headersArrived() {
    long t = attemptStartNanos;
    serviceTimeMillis = t == 0 ? -1 : (System.nanoTime() - t) / 1_000_000;
  }

  int flags() {
    return flags;
  }

  ResponseFlags.Reply reply() {
    return reply;
  }

  ResponseFlags.Reply local() {
    return local;
  }

  String routeName() {
    return routeName;
  }

  ClusterStats cluster() {
    return cluster;
  }

  String upstreamHost() {
    return upstreamHost;
  }

  long serviceTimeMillis() {
    return serviceTimeMillis;
  }

  int attempts() {
    return attempts;
  }
}
