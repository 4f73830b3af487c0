package io.inboard.mesh.gateway.internal;

import io.inboard.mesh.api.context.RequestContext;
import io.inboard.mesh.api.inbound.InboundRequest;
import io.inboard.mesh.api.internal.telemetry.MeshTracing;
import io.inboard.mesh.api.internal.telemetry.RequestDetails;
import io.inboard.mesh.api.internal.telemetry.RequestReport;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import java.util.HashMap;
import java.util.Map;

/**
 * The SERVER span of one downstream request, as Envoy's ingress starts one: a child of the
 * client's trace headers (W3C or B3), else a new trace; the upstream call's span is its child.
 * Made only when the mesh traces.
 */
final class DownstreamSpan {

  private final MeshTracing.ServerSpan span;
  private final long startNanos;
  private final long startEpochMillis;
  private final HttpRequest request;
  private final String requestId;

  private DownstreamSpan(MeshTracing.ServerSpan span, HttpRequest request, String requestId) {
    this.span = span;
    this.request = request;
    this.requestId = requestId;
    // the clocks are read only for a span that reports them
    boolean recording = span.recording();
    this.startNanos = recording ? System.nanoTime() : 0;
    this.startEpochMillis = recording ? System.currentTimeMillis() : 0;
  }

  /**
   * The span of {@code request}, or {@code null} when {@code tracing} is off.
   *
   * @param upstream its headers as forwarded (the trace headers are read there)
   */
  static DownstreamSpan start(MeshTracing tracing, HttpRequest request,
      UpstreamRequest upstream) {
    if (tracing == MeshTracing.NOOP) {
      return null;
    }
    // one pass over the headers; the first value of each trace header counts
    Map<String, String> trace = new HashMap<>();
    upstream.forEachHeader((name, value) -> {
      if (name.equals("x-request-id") || MeshTracing.TRACE_HEADERS.contains(name)) {
        trace.putIfAbsent(name, value);
      }
    });
    String requestId = trace.get("x-request-id");
    return new DownstreamSpan(tracing.startServer(request.method().name(),
        InboundRequest.Protocol.HTTP, new RequestContext(trace)), request, requestId);
  }

  /** The context upstream calls continue (their spans become this one's children). */
  RequestContext context() {
    return span.context();
  }

  /** Ends the span with the status the client got. */
  void end(int status, String details) {
    if (!span.recording()) {
      return; // a span that only propagated: nothing to report
    }
    HttpHeaders h = request.headers();
    span.end(RequestReport.builder(RequestReport.Reporter.DESTINATION,
            InboundRequest.Protocol.HTTP)
        .responseCode(status).durationNanos(System.nanoTime() - startNanos)
        .details(RequestDetails.builder().startEpochMillis(startEpochMillis)
            .method(request.method().name()).path(request.uri())
            .authority(h.get("host", "")).userAgent(h.get("user-agent", ""))
            .requestId(requestId).responseCodeDetails(details).build())
        .build());
  }
}
