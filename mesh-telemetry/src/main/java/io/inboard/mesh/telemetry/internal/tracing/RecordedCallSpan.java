package io.inboard.mesh.telemetry.internal.tracing;

import io.inboard.mesh.api.inbound.InboundRequest.Protocol;
import io.inboard.mesh.api.internal.telemetry.MeshTracing.Attempt;
import io.inboard.mesh.api.internal.telemetry.MeshTracing.CallSpan;
import io.inboard.mesh.api.internal.telemetry.RequestDetails;
import io.inboard.mesh.api.internal.telemetry.RequestReport;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A sampled outbound call's INTERNAL span and its CLIENT attempts. An attempt learns the call's
 * logical server, cluster and request id only from the call's report, so an attempt that ends
 * first waits here, with its end time kept, and is finished when the call ends. The lock is per
 * call and held only to hand attempts over.
 */
final class RecordedCallSpan implements CallSpan {

  private final Tracer tracer;
  private final Span span;
  private final Context asParent;
  private final String name;
  private final Protocol protocol;
  private final SideTracing side;
  private final String requestId;
  private final String traceState;
  private final List<RecordedAttempt> waiting = new ArrayList<>(2);
  private RequestDetails details; // the call's, once it ended; guarded by this

  RecordedCallSpan(Tracer tracer, Span span, String name, Protocol protocol, SideTracing side,
      String requestId, String traceState) {
    this.tracer = tracer;
    this.span = span;
    this.asParent = Context.root().with(span);
    this.name = name;
    this.protocol = protocol;
    this.side = side;
    this.requestId = requestId;
    this.traceState = traceState;
  }

  @Override
  public Attempt startAttempt(int attempt) {
    try {
      long startEpochNanos = Clock.getDefault().now();
      Span child = tracer.spanBuilder(name).setParent(asParent).setSpanKind(SpanKind.CLIENT)
          .setStartTimestamp(startEpochNanos, TimeUnit.NANOSECONDS)
          .setAllAttributes(side.fixedTags()).startSpan();
      return new RecordedAttempt(this, child, attempt, startEpochNanos, System.nanoTime(),
          span.getSpanContext().getSpanId(), traceState);
    } catch (RuntimeException e) {
      OtelMeshTracing.LOG.debug("Attempt {} of {} not traced", attempt, name, e);
      return Attempt.NOOP;
    }
  }

  @Override
  public void end(RequestReport report) {
    List<RecordedAttempt> finish;
    synchronized (this) {
      if (details != null) {
        return;
      }
      details = report.details();
      finish = List.copyOf(waiting);
      waiting.clear();
    }
    try {
      AttributesBuilder attributes = Attributes.builder();
      commonAttributes(report.details(), attributes);
      boolean error = SpanAttributes.clientOutcome(protocol, report.responseCode(),
          report.grpcStatus(), report.responseFlags(), null, attributes);
      span.setAllAttributes(attributes.build());
      if (error) {
        span.setStatus(StatusCode.ERROR);
      }
    } catch (RuntimeException e) {
      OtelMeshTracing.LOG.debug("Call span {}: attributes not set", name, e);
    } finally {
      span.end();
    }
    for (RecordedAttempt a : finish) {
      a.finish(report.details());
    }
  }

  /** Called once an attempt has its outcome: finishes it now if the call has ended. */
  void attemptEnded(RecordedAttempt attempt) {
    RequestDetails callDetails;
    synchronized (this) {
      callDetails = details;
      if (callDetails == null) {
        waiting.add(attempt);
        return;
      }
    }
    attempt.finish(callDetails);
  }

  /** The attributes every span of this call takes from the call's report. */
  void commonAttributes(RequestDetails d, AttributesBuilder out) {
    SpanAttributes.client(name, protocol, d, d.requestId().isEmpty() ? requestId : d.requestId(),
        out);
    side.tagHeaders(d.headers(), out);
  }

  Protocol protocol() {
    return protocol;
  }
}
