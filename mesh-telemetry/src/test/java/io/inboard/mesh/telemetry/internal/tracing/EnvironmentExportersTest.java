package io.inboard.mesh.telemetry.internal.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inboard.mesh.api.internal.telemetry.policy.TraceExporter.Kind;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EnvironmentExportersTest {

  static Stream<Arguments> environments() {
    return Stream.of(
        Arguments.of(Map.of(), List.of()),
        Arguments.of(Map.of("OTEL_TRACES_EXPORTER", "none",
            "OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"), List.of()),
        Arguments.of(Map.of("OTEL_TRACES_EXPORTER", "zipkin"),
            List.of(Kind.ZIPKIN + " http://localhost:9411/api/v2/spans")),
        Arguments.of(Map.of("OTEL_EXPORTER_ZIPKIN_ENDPOINT", "http://zipkin:9411/api/v2/spans"),
            List.of(Kind.ZIPKIN + " http://zipkin:9411/api/v2/spans")),
        Arguments.of(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318/"),
            List.of(Kind.OTLP_HTTP + " http://collector:4318/v1/traces")),
        Arguments.of(Map.of("OTEL_TRACES_EXPORTER", "otlp",
            "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://collector:4318/custom"),
            List.of(Kind.OTLP_HTTP + " http://collector:4318/custom")),
        Arguments.of(Map.of("OTEL_TRACES_EXPORTER", "otlp",
            "OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"),
            List.of(Kind.OTLP_GRPC + " http://localhost:4317")),
        Arguments.of(Map.of("OTEL_TRACES_EXPORTER", "otlp,zipkin",
            "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "grpc",
            "OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4317"),
            List.of(Kind.OTLP_GRPC + " http://collector:4317",
                Kind.ZIPKIN + " http://localhost:9411/api/v2/spans")));
  }

  @ParameterizedTest
  @MethodSource("environments")
  void read_namesTheCollectorsTheVariablesSay(Map<String, String> env, List<String> expected) {
    assertThat(EnvironmentExporters.read(env::get))
        .extracting(e -> e.kind() + " " + e.endpoint()).containsExactlyElementsOf(expected);
  }

  @Test
  void read_unknownExporterOrProtocol_failsNamingTheVariable() {
    assertThatThrownBy(() -> EnvironmentExporters.read(
        Map.of("OTEL_TRACES_EXPORTER", "jaeger")::get))
        .hasMessage("OTEL_TRACES_EXPORTER: jaeger (expected: zipkin, otlp or none, comma"
            + " separated)");
    assertThatThrownBy(() -> EnvironmentExporters.read(Map.of("OTEL_TRACES_EXPORTER", "otlp",
        "OTEL_EXPORTER_OTLP_PROTOCOL", "http/json")::get))
        .hasMessage("OTEL_EXPORTER_OTLP_PROTOCOL: http/json (expected: http/protobuf or grpc)");
  }
}
