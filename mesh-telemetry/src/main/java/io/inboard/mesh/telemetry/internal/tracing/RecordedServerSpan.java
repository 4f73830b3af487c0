package io.inboard.mesh.telemetry.internal.tracing;

import io.inboard.mesh.api.context.RequestContext;
import io.inboard.mesh.api.internal.telemetry.MeshTracing.ServerSpan;
import io.inboard.mesh.api.internal.telemetry.RequestReport;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;

/** A sampled inbound request's SERVER span, recorded by the SDK and exported when it ends. */
final class RecordedServerSpan implements ServerSpan {

  private final Span span;
  private final String name;
  private final RequestContext context;
  private final SideTracing side;

  RecordedServerSpan(Span span, String name, RequestContext context, SideTracing side) {
    this.span = span;
    this.name = name;
    this.context = context;
    this.side = side;
  }

  @Override
  public RequestContext context() {
    return context;
  }

  @Override
  public void end(RequestReport report) {
    try {
      AttributesBuilder attributes = Attributes.builder();
      String requestId = report.details().requestId();
      boolean error = SpanAttributes.server(name, report,
          requestId.isEmpty() ? context.requestId() : requestId, attributes);
      side.tagHeaders(report.details().headers(), attributes);
      span.setAllAttributes(attributes.build());
      if (error) {
        span.setStatus(StatusCode.ERROR);
      }
    } catch (RuntimeException e) {
      // A span must never fail the request it describes; it ends with what it has.
      OtelMeshTracing.LOG.debug("Server span {}: attributes not set", name, e);
    } finally {
      span.end();
    }
  }
}
