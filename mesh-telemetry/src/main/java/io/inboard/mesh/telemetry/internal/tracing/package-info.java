/**
 * Spans for the data planes on the OpenTelemetry SDK, behind
 * {@link io.inboard.mesh.api.internal.telemetry.MeshTracing}: trace context read from and written
 * to W3C and B3 headers, Istio's sampling and tags, and the span exporters a mesh's telemetry
 * policy names (Zipkin v2 JSON, OTLP). Internal: may change at any time.
 */
package io.inboard.mesh.telemetry.internal.tracing;
