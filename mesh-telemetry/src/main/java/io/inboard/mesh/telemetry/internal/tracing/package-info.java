/**
 * Spans for the data planes on the OpenTelemetry SDK, behind
 * {@link io.inboard.mesh.api.internal.telemetry.MeshTracing}. Internal: may change at any time.
 *
 * <p>What the planes can rely on:
 * <ul>
 *   <li><b>Parent.</b> Read from a context's headers: W3C {@code traceparent} (with
 *       {@code tracestate}) when valid, else B3 single {@code b3}, else B3 multi
 *       ({@code x-b3-traceid} of 16 or 32 digits, {@code x-b3-spanid}, {@code x-b3-sampled},
 *       {@code x-b3-flags: 1} meaning sampled). A caller's decision always wins; without one a
 *       trace is sampled at the side's {@code randomSamplingPercentage}.</li>
 *   <li><b>{@code ServerSpan.context()}</b> is the inbound context with every
 *       {@code MeshTracing.TRACE_HEADERS} entry removed and these put right after
 *       {@code x-request-id}: {@code traceparent} ({@code 00-<trace>-<server span>-01|00}),
 *       {@code tracestate} (only when the caller sent a W3C one), {@code x-b3-traceid} (32
 *       digits), {@code x-b3-spanid} (the server span), {@code x-b3-parentspanid} (the
 *       caller's span, when there was one), {@code x-b3-sampled} ({@code 1}/{@code 0}). Other
 *       headers, their order and the peer principal are unchanged; {@code b3} and
 *       {@code x-b3-flags} are dropped.</li>
 *   <li><b>{@code Attempt.inject}</b> hands over, in this order, {@code traceparent} (the
 *       attempt's span), {@code tracestate} (when the parent had one), {@code x-b3-traceid},
 *       {@code x-b3-spanid} (the attempt), {@code x-b3-parentspanid} (the call span),
 *       {@code x-b3-sampled}. A plane removes {@code MeshTracing.TRACE_HEADERS} from the
 *       outbound request first.</li>
 *   <li><b>Unsampled or unexported spans</b> still get fresh span ids, so the next hop sees the
 *       right parent; they build no attributes and never reach the SDK.</li>
 *   <li><b>Attempt spans</b> are written when their call ends ({@code CallSpan.end}), because
 *       their logical server, cluster and request id come from the call's report; each keeps
 *       its own end time. A plane must end every call it starts.</li>
 * </ul>
 */
package io.inboard.mesh.telemetry.internal.tracing;
