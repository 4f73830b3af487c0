package io.inboard.mesh.controlplane.internal.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inboard.mesh.api.internal.telemetry.policy.TraceExporter;
import io.inboard.mesh.api.internal.telemetry.policy.TraceExporter.Kind;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Istio's MeshConfig YAML, read for the tracing providers and default providers. */
class MeshConfigFileTest {

  @Test
  void readsZipkinAndOpenTelemetryProvidersWithIstiosEndpoints() {
    TelemetryMeshConfig c = MeshConfigFile.parse("mesh.yaml", """
        extensionProviders:
        - name: zipkin
          zipkin: {service: zipkin.istio-system.svc.cluster.local, port: 9411}
        - name: zipkin-custom
          zipkin: {service: istio-system/zipkin.example, port: 9412, path: /spans}
        - name: otel
          opentelemetry: {service: otel.observability.svc.cluster.local, port: 4317}
        - name: otel-http
          opentelemetry:
            service: otel.observability.svc.cluster.local
            port: 4318
            http: {path: /v1/traces, timeout: 5s}
        - name: otel-http-default
          opentelemetry: {service: otel, port: 4318, http: {}}
        defaultProviders:
          tracing: [otel]
          accessLogging: [envoy]
        enableTracing: false
        """);
    assertThat(c.tracingProviders()).containsExactly(
        new TraceExporter("zipkin", Kind.ZIPKIN,
            URI.create("http://zipkin.istio-system.svc.cluster.local:9411/api/v2/spans")),
        new TraceExporter("zipkin-custom", Kind.ZIPKIN, URI.create("http://zipkin.example:9412/spans")),
        new TraceExporter("otel", Kind.OTLP_GRPC,
            URI.create("http://otel.observability.svc.cluster.local:4317")),
        new TraceExporter("otel-http", Kind.OTLP_HTTP,
            URI.create("http://otel.observability.svc.cluster.local:4318/v1/traces")),
        new TraceExporter("otel-http-default", Kind.OTLP_HTTP,
            URI.create("http://otel:4318/v1/traces")));
    assertThat(c.defaultTracing()).containsExactly("otel");
    assertThat(c.defaultAccessLogging()).containsExactly("envoy");
    assertThat(c.enableTracing()).isFalse();
    assertThat(c.warnings()).isEmpty();
  }

  @Test
  void emptyFileIsIstiosDefaults() {
    assertThat(MeshConfigFile.parse("mesh.yaml", "")).isEqualTo(TelemetryMeshConfig.DEFAULT);
  }

  @Test
  void otherFieldsAndProviderKindsAreAcceptedAndListedAsNotHonoured() {
    TelemetryMeshConfig c = MeshConfigFile.parse("mesh.yaml", """
        accessLogFile: /dev/stdout
        extensionProviders:
        - name: sd
          stackdriver: {}
        """);
    assertThat(c.tracingProviders()).isEmpty();
    assertThat(c.warnings()).hasSize(2).anySatisfy(w -> assertThat(w).startsWith(
        "accessLogFile: not read")).anySatisfy(w -> assertThat(w).startsWith(
        "extensionProviders[0].stackdriver: provider 'sd' not honoured"));
  }

  @Test
  void istiosOwnDefinitionsOfBuiltInProvidersAreNotWarned() {
    TelemetryMeshConfig c = MeshConfigFile.parse("mesh.yaml", """
        extensionProviders:
        - name: prometheus
          prometheus: {}
        - name: envoy
          envoyFileAccessLog: {path: /dev/stdout}
        - name: envoy-json
          envoyFileAccessLog:
            path: /dev/stdout
            logFormat: {labels: {code: '%RESPONSE_CODE%'}}
        defaultProviders:
          metrics: [prometheus]
        """);
    assertThat(c.warnings()).containsExactly("extensionProviders[2].envoyFileAccessLog.logFormat:"
        + " not honoured: provider 'envoy-json' writes Istio's default JSON fields");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "extensionProviders: [{name: z, zipkin: {service: zipkin, port: 0}}]"
          + "|mesh config mesh.yaml: extensionProviders[0].zipkin.port: 0 (expected: an"
          + " integer 1..65535)",
      "extensionProviders: [{name: z, zipkin: {port: 9411}}]"
          + "|mesh config mesh.yaml: extensionProviders[0].zipkin.service: missing (expected:"
          + " a string)",
      "extensionProviders: [{name: z, zipkin: {service: a, port: 1, path: spans}}]"
          + "|mesh config mesh.yaml: extensionProviders[0].zipkin.path: 'spans' (expected:"
          + " a path starting with /)",
      "extensionProviders: [{name: z, jaeger: {}}]"
          + "|mesh config mesh.yaml: extensionProviders[0].jaeger: not an Istio provider kind",
      "extensionProviders: [{name: z}]"
          + "|mesh config mesh.yaml: extensionProviders[0]: ",
      "extensionProviders: [{name: z, zipkin: {service: a, port: 1}},"
          + " {name: Z, zipkin: {service: b, port: 2}}]"
          + "|mesh config mesh.yaml: extensionProviders[1].name: 'Z' (expected: a non-empty"
          + " name no other provider has)",
      "defaultProviders: {tracing: [zipkin]}"
          + "|mesh config mesh.yaml: defaultProviders.tracing[0]: 'zipkin' (expected: the name"
          + " of a zipkin or opentelemetry provider in extensionProviders [])",
      "enableTracing: 'yes'"
          + "|mesh config mesh.yaml: enableTracing: 'yes' (expected: true or false)",
      "extensionProviders: {name: z}"
          + "|mesh config mesh.yaml: extensionProviders: ",
      "'a: [b'|mesh config mesh.yaml: not valid YAML"})
  void badFieldFailsNamingFileFieldValueAndExpectation(String yaml, String message) {
    assertThatThrownBy(() -> MeshConfigFile.parse("mesh.yaml", yaml))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(message);
  }
}
