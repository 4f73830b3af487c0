package io.inboard.mesh.api.internal.telemetry.policy;

import static io.inboard.mesh.api.internal.telemetry.policy.Specs.compile;
import static io.inboard.mesh.api.internal.telemetry.policy.Specs.list;
import static io.inboard.mesh.api.internal.telemetry.policy.Specs.map;
import static io.inboard.mesh.api.internal.telemetry.policy.Specs.providers;
import static io.inboard.mesh.api.internal.telemetry.policy.Specs.source;
import static org.assertj.core.api.Assertions.assertThat;

import io.inboard.mesh.api.internal.telemetry.policy.MetricRules.TagOverride;
import io.inboard.mesh.api.internal.telemetry.policy.MetricRules.TagValue;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TelemetryCompilerMetricsTest {

  private static Map<String, Object> overrides(Object... overrides) {
    return map("metrics", list(map("overrides", list(overrides))));
  }

  @Test
  void noSourcesGiveIstioDefaults() {
    TelemetryCompilation c = compile();
    assertThat(c.policy()).isEqualTo(TelemetryPolicy.DEFAULT);
    assertThat(c.warnings()).isEmpty();
  }

  static Stream<Arguments> metricNames() {
    return Stream.of(Arguments.of("REQUEST_COUNT", "istio_requests_total"),
        Arguments.of("REQUEST_DURATION", "istio_request_duration_milliseconds"),
        Arguments.of("REQUEST_SIZE", "istio_request_bytes"),
        Arguments.of("RESPONSE_SIZE", "istio_response_bytes"),
        Arguments.of("GRPC_REQUEST_MESSAGES", "istio_request_messages_total"),
        Arguments.of("GRPC_RESPONSE_MESSAGES", "istio_response_messages_total"));
  }

  @ParameterizedTest
  @MethodSource("metricNames")
  void disablesOneMetricByItsIstioName(String istio, String prometheus) {
    TelemetryPolicy p = compile(source(overrides(
        map("match", map("metric", istio), "disabled", true)))).policy();
    assertThat(p.client().metrics().disabled()).containsExactly(prometheus);
    assertThat(p.server().metrics().disabled()).containsExactly(prometheus);
  }

  @Test
  void allMetricsOnClientSideOnly() {
    TelemetryPolicy p = compile(source(overrides(
        map("match", map("metric", "ALL_METRICS", "mode", "CLIENT"), "disabled", true))))
        .policy();
    assertThat(p.client().metrics().disabled()).hasSize(6);
    assertThat(p.server().metrics().disabled()).isEmpty();
  }

  @Test
  void missingMatchMeansEveryMetricOnBothSides() {
    TelemetryPolicy p = compile(source(overrides(map("disabled", true)))).policy();
    assertThat(p.client().metrics().disabled()).hasSize(6);
    assertThat(p.server().metrics().disabled()).hasSize(6);
  }

  @Test
  void laterSourceReEnablesWhatAnEarlierDisabled() {
    TelemetryPolicy p = compile(
        source("istio-system", "mesh", overrides(map("disabled", true))),
        source("default", "ns", overrides(
            map("match", map("metric", "REQUEST_COUNT", "mode", "SERVER"), "disabled", false))))
        .policy();
    assertThat(p.server().metrics().enabled("istio_requests_total")).isTrue();
    assertThat(p.server().metrics().enabled("istio_request_bytes")).isFalse();
    assertThat(p.client().metrics().enabled("istio_requests_total")).isFalse();
  }

  @Test
  void tagOverridesRemoveAndUpsertLiteralsAndHeaders() {
    TelemetryPolicy p = compile(source(overrides(map("match", map("metric", "REQUEST_COUNT"),
        "tagOverrides", map(
            "request_protocol", map("operation", "REMOVE"),
            "version", map("value", "'v1'"),
            "zone", map("operation", "UPSERT", "value", "\"eu\""),
            "user", map("value", "request.headers['X-User']"),
            "team", map("value", "request.headers[\"team\"]")))))).policy();
    assertThat(p.server().metrics().overrides("istio_requests_total")).containsExactly(
        new TagOverride("request_protocol", null),
        new TagOverride("team", new TagValue.RequestHeader("team")),
        new TagOverride("user", new TagValue.RequestHeader("x-user")),
        new TagOverride("version", new TagValue.Literal("v1")),
        new TagOverride("zone", new TagValue.Literal("eu")));
    assertThat(p.capturedHeaders()).containsExactlyInAnyOrder("team", "x-user");
    assertThat(p.server().metrics().overrides("istio_request_bytes")).isEmpty();
  }

  @Test
  void laterTagOverrideReplacesEarlierForTheSameLabelOnly() {
    TelemetryPolicy p = compile(
        source("istio-system", "mesh", overrides(map("tagOverrides", map(
            "a", map("value", "'root'"), "b", map("operation", "REMOVE"))))),
        source("default", "w", overrides(map("match", map("mode", "CLIENT"),
            "tagOverrides", map("a", map("value", "'workload'"))))))
        .policy();
    assertThat(p.client().metrics().overrides("istio_requests_total")).containsExactly(
        new TagOverride("a", new TagValue.Literal("workload")), new TagOverride("b", null));
    assertThat(p.server().metrics().overrides("istio_requests_total")).containsExactly(
        new TagOverride("a", new TagValue.Literal("root")), new TagOverride("b", null));
  }

  @Test
  void otherCelExpressionsAreWarnedAndLeaveTheLabel() {
    TelemetryCompilation c = compile(source(overrides(map("tagOverrides",
        map("path", map("value", "request.path")))))); 
    assertThat(c.policy().server().metrics().overrides("istio_requests_total")).isEmpty();
    assertThat(c.warnings()).singleElement().hasToString("Telemetry default/t:"
        + " spec.metrics[0].overrides[0].tagOverrides.path.value: 'request.path' not honoured:"
        + " Inboard evaluates " + CelValues.TAG_VALUES + "; label 'path' keeps its value");
  }

  @Test
  void tcpMetricsAreAcceptedAndWarnedNotApplicable() {
    TelemetryCompilation c = compile(source(overrides(
        map("match", map("metric", "TCP_SENT_BYTES"), "disabled", true))));
    assertThat(c.policy()).isEqualTo(TelemetryPolicy.DEFAULT);
    assertThat(c.warnings()).singleElement().satisfies(w -> {
      assertThat(w.field()).isEqualTo("spec.metrics[0].overrides[0].match.metric");
      assertThat(w.detail()).startsWith("'TCP_SENT_BYTES' not applicable");
    });
  }

  @Test
  void customMetricAndReportingIntervalAreWarned() {
    TelemetryCompilation c = compile(source(map("metrics", list(map(
        "reportingInterval", "10s",
        "overrides", list(map("match", map("customMetric", "my_metric"), "disabled", true)))))));
    assertThat(c.policy()).isEqualTo(TelemetryPolicy.DEFAULT);
    assertThat(c.warnings()).extracting(TelemetryWarning::field).containsExactly(
        "spec.metrics[0].reportingInterval", "spec.metrics[0].overrides[0].match.customMetric");
  }

  @Test
  void nonPrometheusProvidersAreWarnedAndTurnMetricsOffWhenPrometheusIsLeftOut() {
    Map<String, Object> spec = map("metrics", list(providers("stackdriver")));
    TelemetryCompilation c = compile(source(spec));
    assertThat(c.policy().server().metrics().disabled()).hasSize(6);
    assertThat(c.warnings()).singleElement().hasToString("Telemetry default/t:"
        + " spec.metrics[0].providers: provider 'stackdriver' not honoured: Inboard records"
        + " metrics for Prometheus only (expected: prometheus)");
  }

  @Test
  void overridesUnderAnotherProviderDoNotChangePrometheusMetrics() {
    Map<String, Object> entry = providers("prometheus");
    Map<String, Object> other = providers("stackdriver");
    other.put("overrides", list(map("disabled", true)));
    TelemetryCompilation c = compile(source(map("metrics", list(other, entry))));
    assertThat(c.policy().server().metrics().disabled()).isEmpty();
  }

  @Test
  void overridesWithoutProvidersInheritThePreviousEntrysProviders() {
    Map<String, Object> other = providers("stackdriver");
    TelemetryCompilation c = compile(
        source("istio-system", "mesh", map("metrics", list(other))),
        source("default", "ns", overrides(map("match", map("metric", "REQUEST_SIZE"),
            "disabled", true))));
    // prometheus is out of scope since the mesh-wide resource named only stackdriver
    assertThat(c.policy().server().metrics().disabled()).hasSize(6);
  }

  @Test
  void metricRulesListOnlyTheChangedMetrics() {
    TelemetryPolicy p = compile(source(overrides(map("match", map("metric", "REQUEST_SIZE"),
        "tagOverrides", map("x", map("operation", "REMOVE")))))).policy();
    assertThat(p.server().metrics().tagOverrides()).containsOnlyKeys("istio_request_bytes");
    assertThat(p.server().metrics().overrides("istio_request_bytes"))
        .isEqualTo(List.of(new TagOverride("x", null)));
  }
}
