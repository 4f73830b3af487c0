package io.inboard.mesh.telemetry.internal.tracing;

import io.inboard.mesh.api.internal.telemetry.MeshTracing.Attempt;
import io.inboard.mesh.api.internal.telemetry.RequestDetails;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * One sampled attempt: a CLIENT span whose ids go on the wire. Its outcome is kept when it ends
 * and written, with the call's details, by {@link RecordedCallSpan}; the end time is the
 * attempt's own.
 */
final class RecordedAttempt implements Attempt {

  private final RecordedCallSpan call;
  private final Span span;
  private final int attempt;
  private final long startEpochNanos;
  private final long startNanoTime;
  private final String parentSpanId;
  private final String traceState;
  private boolean ended;
  private int responseCode;
  private String grpcStatus;
  private String responseFlags;
  private String upstreamHost;
  private Throwable failure;
  private long endEpochNanos;

  RecordedAttempt(RecordedCallSpan call, Span span, int attempt, long startEpochNanos,
      long startNanoTime, String parentSpanId, String traceState) {
    this.call = call;
    this.span = span;
    this.attempt = attempt;
    this.startEpochNanos = startEpochNanos;
    this.startNanoTime = startNanoTime;
    this.parentSpanId = parentSpanId;
    this.traceState = traceState;
  }

  @Override
  public void inject(BiConsumer<String, String> header) {
    TraceHeaders.inject(span.getSpanContext().getTraceId(), span.getSpanContext().getSpanId(),
        parentSpanId, true, traceState, header);
  }

  @Override
  public void end(int responseCode, String grpcStatus, String responseFlags,
      String upstreamHost, Throwable failure) {
    synchronized (this) {
      if (ended) {
        return;
      }
      ended = true;
      this.responseCode = responseCode;
      this.grpcStatus = grpcStatus;
      this.responseFlags = responseFlags;
      this.upstreamHost = upstreamHost;
      this.failure = failure;
      // The span's clock: its start plus the time measured on the monotonic clock.
      this.endEpochNanos = startEpochNanos + (System.nanoTime() - startNanoTime);
    }
    call.attemptEnded(this);
  }

  /** Writes the attributes and ends the span, with the call's {@code details}. */
  void finish(RequestDetails details) {
    try {
      AttributesBuilder attributes = Attributes.builder();
      call.commonAttributes(details, attributes);
      boolean error;
      synchronized (this) {
        SpanAttributes.attempt(attempt, upstreamHost, attributes);
        error = SpanAttributes.clientOutcome(call.protocol(), responseCode, grpcStatus,
            responseFlags, failure, attributes);
      }
      span.setAllAttributes(attributes.build());
      if (error) {
        span.setStatus(StatusCode.ERROR, failure == null ? "" : String.valueOf(failure));
      }
    } catch (RuntimeException e) {
      OtelMeshTracing.LOG.debug("Attempt span: attributes not set", e);
    } finally {
      span.end(endEpochNanos, TimeUnit.NANOSECONDS);
    }
  }
}
