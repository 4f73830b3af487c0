package io.inboard.mesh.telemetry.internal.tracing;

import io.inboard.mesh.api.context.RequestContext;
import io.inboard.mesh.api.internal.telemetry.MeshTracing.Attempt;
import io.inboard.mesh.api.internal.telemetry.MeshTracing.CallSpan;
import io.inboard.mesh.api.internal.telemetry.MeshTracing.ServerSpan;
import io.inboard.mesh.api.internal.telemetry.RequestReport;
import java.util.function.BiConsumer;

/**
 * Spans that are not recorded (not sampled, or nothing exports them) but still take part in the
 * trace: each has its own span id, so the next hop's parent is right and a downstream service
 * that does record sees an unbroken trace. Nothing here builds attributes.
 */
final class PropagatingSpans {

  private PropagatingSpans() {}

  /** An inbound request's span that only rewrites the context. */
  record Server(RequestContext context) implements ServerSpan {
    @Override
    public void end(RequestReport report) {}

    @Override
    public boolean recording() {
      return false;
    }
  }

  /** An outbound call's span that only gives its attempts their parent. */
  record Call(String traceId, String spanId, boolean sampled, String traceState)
      implements CallSpan {
    @Override
    public Attempt startAttempt(int attempt) {
      return new Try(traceId, TraceIds.newSpanId(), spanId, sampled, traceState);
    }

    @Override
    public void end(RequestReport report) {}

    @Override
    public boolean recording() {
      return false;
    }
  }

  /** An attempt that only injects its ids. */
  record Try(String traceId, String spanId, String parentSpanId, boolean sampled,
      String traceState) implements Attempt {
    @Override
    public void inject(BiConsumer<String, String> header) {
      TraceHeaders.inject(traceId, spanId, parentSpanId, sampled, traceState, header);
    }

    @Override
    public void end(int responseCode, String grpcStatus, String responseFlags,
        String upstreamHost, Throwable failure) {}
  }
}
