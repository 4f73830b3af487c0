package io.inboard.mesh.telemetry.internal.tracing;

import io.inboard.mesh.api.internal.telemetry.policy.TraceExporter;
import io.inboard.mesh.api.internal.telemetry.policy.TraceExporter.Kind;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The collectors OpenTelemetry's standard environment variables name, used when the mesh config
 * names none:
 * <ul>
 *   <li>{@code OTEL_TRACES_EXPORTER}: {@code zipkin}, {@code otlp} or {@code none}, comma
 *       separated; unset means {@code otlp} if an OTLP endpoint variable is set, else
 *       {@code zipkin} if {@code OTEL_EXPORTER_ZIPKIN_ENDPOINT} is, else none (unlike the SDK's
 *       autoconfiguration, which would send to localhost:4318, a mesh exports nothing until
 *       told where to);</li>
 *   <li>{@code OTEL_EXPORTER_ZIPKIN_ENDPOINT} (default
 *       {@code http://localhost:9411/api/v2/spans});</li>
 *   <li>{@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT} as is, else {@code OTEL_EXPORTER_OTLP_ENDPOINT}
 *       plus {@code /v1/traces} for HTTP (defaults {@code http://localhost:4318} and, for gRPC,
 *       {@code http://localhost:4317});</li>
 *   <li>{@code OTEL_EXPORTER_OTLP_TRACES_PROTOCOL}, else {@code OTEL_EXPORTER_OTLP_PROTOCOL}:
 *       {@code http/protobuf} (default) or {@code grpc}.</li>
 * </ul>
 */
final class EnvironmentExporters {

  static final String PROVIDER = "OTEL_TRACES_EXPORTER";

  private EnvironmentExporters() {}

  /**
   * The collectors {@code env} names.
   *
   * @throws IllegalArgumentException naming the variable, its value and what was expected
   */
  static List<TraceExporter> read(Function<String, String> env) {
    String otlpEndpoint = value(env, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
    String otlpBase = value(env, "OTEL_EXPORTER_OTLP_ENDPOINT");
    String zipkinEndpoint = value(env, "OTEL_EXPORTER_ZIPKIN_ENDPOINT");
    String names = value(env, PROVIDER);
    if (names == null) {
      names = otlpEndpoint != null || otlpBase != null ? "otlp"
          : zipkinEndpoint != null ? "zipkin" : "none";
    }
    List<TraceExporter> out = new ArrayList<>(2);
    for (String raw : names.split(",")) {
      String name = raw.trim().toLowerCase(Locale.ROOT);
      switch (name) {
        case "none", "" -> { }
        case "zipkin" -> out.add(new TraceExporter("env:" + PROVIDER, Kind.ZIPKIN, uri(
            "OTEL_EXPORTER_ZIPKIN_ENDPOINT",
            zipkinEndpoint != null ? zipkinEndpoint : "http://localhost:9411/api/v2/spans")));
        case "otlp" -> out.add(otlp(env, otlpEndpoint, otlpBase));
        default -> throw new IllegalArgumentException(PROVIDER + ": " + names
            + " (expected: zipkin, otlp or none, comma separated)");
      }
    }
    return List.copyOf(out);
  }

  private static TraceExporter otlp(Function<String, String> env, String tracesEndpoint,
      String base) {
    String protocolVar = value(env, "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL") != null
        ? "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL" : "OTEL_EXPORTER_OTLP_PROTOCOL";
    String protocol = value(env, protocolVar);
    boolean grpc;
    if (protocol == null || protocol.equals("http/protobuf")) {
      grpc = false;
    } else if (protocol.equals("grpc")) {
      grpc = true;
    } else {
      throw new IllegalArgumentException(protocolVar + ": " + protocol
          + " (expected: http/protobuf or grpc)");
    }
    String endpoint;
    String from;
    if (tracesEndpoint != null) {
      endpoint = tracesEndpoint;
      from = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT";
    } else {
      String b = base != null ? base : grpc ? "http://localhost:4317" : "http://localhost:4318";
      endpoint = grpc ? b : (b.endsWith("/") ? b.substring(0, b.length() - 1) : b) + "/v1/traces";
      from = "OTEL_EXPORTER_OTLP_ENDPOINT";
    }
    return new TraceExporter("env:" + PROVIDER, grpc ? Kind.OTLP_GRPC : Kind.OTLP_HTTP,
        uri(from, endpoint));
  }

  private static URI uri(String variable, String value) {
    try {
      URI uri = URI.create(value);
      if (uri.getScheme() == null || uri.getHost() == null) {
        throw new IllegalArgumentException("no scheme or host");
      }
      return uri;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(variable + ": " + value
          + " (expected: a URL such as http://collector:4318)", e);
    }
  }

  private static String value(Function<String, String> env, String name) {
    String v = env.apply(name);
    return v == null || v.isBlank() ? null : v.trim();
  }
}
