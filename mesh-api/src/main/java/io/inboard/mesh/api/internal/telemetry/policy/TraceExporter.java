package io.inboard.mesh.api.internal.telemetry.policy;

import static java.util.Objects.requireNonNull;

import java.net.URI;

/**
 * Where a workload sends spans: one of the mesh config's {@code extensionProviders} a
 * Telemetry's {@code tracing.providers} (or {@code defaultProviders.tracing}) names.
 *
 * @param provider the provider's name in the mesh config
 * @param kind the wire format
 * @param endpoint the collector's URL: Zipkin {@code http://host:9411/api/v2/spans}, OTLP/HTTP
 *     {@code http://host:4318/v1/traces}, OTLP/gRPC {@code http://host:4317}
 */
public record TraceExporter(String provider, Kind kind, URI endpoint) {

  public TraceExporter {
    requireNonNull(provider, "provider");
    requireNonNull(kind, "kind");
    requireNonNull(endpoint, "endpoint");
  }

  /** Span wire formats. */
  public enum Kind { ZIPKIN, OTLP_HTTP, OTLP_GRPC }
}
