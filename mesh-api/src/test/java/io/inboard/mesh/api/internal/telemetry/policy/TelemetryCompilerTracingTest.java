package io.inboard.mesh.api.internal.telemetry.policy;

import static io.inboard.mesh.api.internal.telemetry.policy.Specs.compile;
import static io.inboard.mesh.api.internal.telemetry.policy.Specs.list;
import static io.inboard.mesh.api.internal.telemetry.policy.Specs.map;
import static io.inboard.mesh.api.internal.telemetry.policy.Specs.providers;
import static io.inboard.mesh.api.internal.telemetry.policy.Specs.source;
import static org.assertj.core.api.Assertions.assertThat;

import io.inboard.mesh.api.internal.telemetry.policy.TracingRules.CustomTag;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TelemetryCompilerTracingTest {
  private static final TraceExporter ZIPKIN = new TraceExporter("zipkin",
      TraceExporter.Kind.ZIPKIN, URI.create("http://zipkin.istio-system:9411/api/v2/spans"));
  private static final TraceExporter OTEL = new TraceExporter("otel",
      TraceExporter.Kind.OTLP_GRPC, URI.create("http://otel.istio-system:4317"));

  private static Map<String, Object> tracing(Object... entries) {
    return map("tracing", list(entries));
  }

  @Test
  void samplingPercentageAppliesToTheMatchedSides() {
    TelemetryPolicy p = compile(source(tracing(
        map("randomSamplingPercentage", 100),
        map("match", map("mode", "SERVER"), "randomSamplingPercentage", 12.5)))).policy();
    assertThat(p.client().tracing().samplingPercentage()).isEqualTo(100.0);
    assertThat(p.server().tracing().samplingPercentage()).isEqualTo(12.5);
  }

  @Test
  void unsetFieldsKeepTheEarlierSourcesValues() {
    TelemetryPolicy p = compile(
        source("istio-system", "mesh", tracing(map("randomSamplingPercentage", 100,
            "disableSpanReporting", true))),
        source("default", "ns", tracing(map("match", map("mode", "CLIENT"),
            "disableSpanReporting", false)))).policy();
    assertThat(p.client().tracing()).isEqualTo(new TracingRules(100, false, Map.of()));
    assertThat(p.server().tracing()).isEqualTo(new TracingRules(100, true, Map.of()));
  }

  @Test
  void customTagsOfAllThreeKindsAndALaterSetReplacesTheWholeSet() {
    Map<String, Object> first = tracing(map("customTags", map(
        "cluster", map("literal", map("value", "east")),
        "pod", map("environment", map("name", "POD_NAME", "defaultValue", "unknown")),
        "user", map("header", map("name", "X-User")))));
    TelemetryPolicy p = compile(source("istio-system", "mesh", first)).policy();
    assertThat(p.server().tracing().customTags()).isEqualTo(Map.of(
        "cluster", new CustomTag.Literal("east"),
        "pod", new CustomTag.Environment("POD_NAME", "unknown"),
        "user", new CustomTag.Header("x-user", "")));
    assertThat(p.capturedHeaders()).containsExactly("x-user");

    TelemetryPolicy replaced = compile(source("istio-system", "mesh", first),
        source("default", "ns", tracing(map("customTags",
            map("team", map("literal", map("value", "a"))))))).policy();
    assertThat(replaced.client().tracing().customTags())
        .isEqualTo(Map.of("team", new CustomTag.Literal("a")));
  }

  @Test
  void providersChooseTheExporterByNameIgnoringCase() {
    TelemetryCompilation c = TelemetryCompiler.compileWithWarnings(
        List.of(source(tracing(providers("OTel")))), List.of(ZIPKIN, OTEL));
    assertThat(c.policy().exporters()).containsExactly(OTEL);
    assertThat(c.warnings()).isEmpty();
  }

  @Test
  void noProviderNamedMeansNoExporter() {
    TelemetryCompilation c = TelemetryCompiler.compileWithWarnings(
        List.of(source(tracing(map("randomSamplingPercentage", 5)))), List.of(ZIPKIN));
    assertThat(c.policy().exporters()).isEmpty();
  }

  @Test
  void sidesWithDifferentProvidersExportToBoth() {
    Map<String, Object> client = providers("zipkin");
    client.put("match", map("mode", "CLIENT"));
    Map<String, Object> server = providers("otel");
    server.put("match", map("mode", "SERVER"));
    TelemetryCompilation c = TelemetryCompiler.compileWithWarnings(
        List.of(source(tracing(client, server))), List.of(ZIPKIN, OTEL));
    assertThat(c.policy().exporters()).containsExactly(ZIPKIN, OTEL);
  }

  @Test
  void anUnknownProviderIsWarnedWithTheKnownOnes() {
    TelemetryCompilation c = TelemetryCompiler.compileWithWarnings(
        List.of(source(tracing(providers("jaeger")))), List.of(ZIPKIN));
    assertThat(c.policy().exporters()).isEmpty();
    assertThat(c.warnings()).singleElement().hasToString("Telemetry default/t:"
        + " spec.tracing[0].providers: provider 'jaeger' is not a tracing provider of the mesh"
        + " config (expected one of [zipkin]); spans are not sent to it");
  }

  @Test
  void onlyTheFirstOfSeveralProvidersIsUsedAndThatIsWarned() {
    TelemetryCompilation c = TelemetryCompiler.compileWithWarnings(
        List.of(source(tracing(providers("zipkin", "otel")))), List.of(ZIPKIN, OTEL));
    assertThat(c.policy().exporters()).containsExactly(ZIPKIN);
    assertThat(c.warnings()).extracting(TelemetryWarning::field)
        .containsExactly("spec.tracing[0].providers");
  }

  @Test
  void useRequestIdForTraceSamplingIsWarned() {
    TelemetryCompilation c = compile(source(tracing(map("useRequestIdForTraceSampling", true))));
    assertThat(c.warnings()).extracting(TelemetryWarning::field)
        .containsExactly("spec.tracing[0].useRequestIdForTraceSampling");
  }
}
