package io.inboard.mesh.telemetry.internal.tracing;

import io.inboard.mesh.api.internal.telemetry.policy.TraceExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/** Makes the SDK exporter for the collectors a telemetry policy names. */
@FunctionalInterface
interface SpanExporters {

  /** Zipkin v2 JSON, OTLP/HTTP (JDK sender) and OTLP/gRPC, one per collector. */
  SpanExporters DEFAULT = SpanExporters::forCollectors;

  /**
   * An exporter sending to every one of {@code exporters} (not empty).
   *
   * @throws IllegalArgumentException naming the provider, the endpoint and what was expected
   */
  SpanExporter create(List<TraceExporter> exporters);

  private static SpanExporter forCollectors(List<TraceExporter> exporters) {
    List<SpanExporter> made = new ArrayList<>(exporters.size());
    for (TraceExporter e : exporters) {
      URI uri = checkEndpoint(e);
      made.add(switch (e.kind()) {
        case ZIPKIN -> new ZipkinSpanExporter(uri);
        case OTLP_HTTP -> OtlpHttpSpanExporter.builder().setEndpoint(uri.toString())
            .setComponentLoader(new JdkHttpSenderFirst()).build();
        case OTLP_GRPC -> OtlpGrpcSpanExporter.builder().setEndpoint(uri.toString()).build();
      });
    }
    return made.size() == 1 ? made.get(0) : SpanExporter.composite(made);
  }

  private static URI checkEndpoint(TraceExporter e) {
    URI uri = e.endpoint();
    String scheme = uri.getScheme();
    if (!("http".equals(scheme) || "https".equals(scheme)) || uri.getHost() == null) {
      throw new IllegalArgumentException("tracing provider " + e.provider() + ": endpoint: "
          + uri + " (expected: an http:// or https:// URL with a host, such as "
          + (e.kind() == TraceExporter.Kind.ZIPKIN ? "http://zipkin.istio-system:9411/api/v2/spans"
              : e.kind() == TraceExporter.Kind.OTLP_HTTP
                  ? "http://otel-collector.istio-system:4318/v1/traces"
                  : "http://otel-collector.istio-system:4317") + ")");
    }
    return uri;
  }
}
