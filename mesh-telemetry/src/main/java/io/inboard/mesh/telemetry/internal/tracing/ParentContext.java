package io.inboard.mesh.telemetry.internal.tracing;

/**
 * What a request's trace headers say about its parent span.
 *
 * @param traceId 32 lower-case hex digits, or {@code null} when the headers carried only a
 *     sampling decision (B3 {@code x-b3-sampled: 0} alone)
 * @param spanId 16 lower-case hex digits, or {@code null} with {@code traceId}
 * @param sampling the caller's decision
 * @param traceState the W3C {@code tracestate} to pass on, or {@code null}
 */
record ParentContext(String traceId, String spanId, Sampling sampling, String traceState) {

  /** A caller's sampling decision. */
  enum Sampling {
    SAMPLED, NOT_SAMPLED,
    /** B3 ids without a decision: the receiver decides, as for a new trace. */
    DEFERRED
  }

  /** Whether a parent span is named (not only a decision). */
  boolean hasIds() {
    return traceId != null;
  }
}
