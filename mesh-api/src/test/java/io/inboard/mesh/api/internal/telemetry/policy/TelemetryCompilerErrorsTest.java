package io.inboard.mesh.api.internal.telemetry.policy;

import static io.inboard.mesh.api.internal.telemetry.policy.Specs.compile;
import static io.inboard.mesh.api.internal.telemetry.policy.Specs.list;
import static io.inboard.mesh.api.internal.telemetry.policy.Specs.map;
import static io.inboard.mesh.api.internal.telemetry.policy.Specs.source;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every refusal names the resource, the field, the value and what was expected. */
class TelemetryCompilerErrorsTest {

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of(map("tracings", list()), "spec.tracings",
            "not a field of this message (expected one of [accessLogging, metrics, selector,"
                + " targetRef, targetRefs, tracing])"),
        Arguments.of(map("tracing", map()), "spec.tracing", "{} (expected: a list)"),
        Arguments.of(map("tracing", list(map("randomSamplingPercentage", 120))),
            "spec.tracing[0].randomSamplingPercentage", "120 (expected: 0..100)"),
        Arguments.of(map("tracing", list(map("randomSamplingPercentage", -1))),
            "spec.tracing[0].randomSamplingPercentage", "-1 (expected: 0..100)"),
        Arguments.of(map("tracing", list(map("randomSamplingPercentage", "50"))),
            "spec.tracing[0].randomSamplingPercentage", "'50' (expected: a number)"),
        Arguments.of(map("tracing", list(map("disableSpanReporting", "yes"))),
            "spec.tracing[0].disableSpanReporting", "'yes' (expected: true or false)"),
        Arguments.of(map("tracing", list(map("match", map("mode", "BOTH")))),
            "spec.tracing[0].match.mode",
            "'BOTH' (expected: one of [CLIENT_AND_SERVER, CLIENT, SERVER])"),
        Arguments.of(map("tracing", list(map("providers", list(map("nam", "zipkin"))))),
            "spec.tracing[0].providers[0].nam", "not a field of this message (expected one of"
                + " [name])"),
        Arguments.of(map("tracing", list(map("providers", list(map())))),
            "spec.tracing[0].providers[0].name", "missing (expected: a non-empty string)"),
        Arguments.of(map("tracing", list(map("customTags", map("t", map())))),
            "spec.tracing[0].customTags.t",
            "{} (expected: exactly one of literal, environment, header)"),
        Arguments.of(map("tracing", list(map("customTags", map("t", map(
                "literal", map("value", "a"), "header", map("name", "h")))))),
            "spec.tracing[0].customTags.t", "(expected: exactly one of literal, environment,"
                + " header)"),
        Arguments.of(map("tracing", list(map("customTags", map("t", map(
                "environment", map("defaultValue", "x")))))),
            "spec.tracing[0].customTags.t.environment.name",
            "missing (expected: a non-empty string)"),
        Arguments.of(map("tracing", list(map("customTags", map("t", map(
                "header", map("name", "")))))),
            "spec.tracing[0].customTags.t.header.name", "'' (expected: a non-empty string)"),
        Arguments.of(map("metrics", list(map("overrides", list(
                map("match", map("metric", "REQUESTS")))))),
            "spec.metrics[0].overrides[0].match.metric", "'REQUESTS' (expected: one of"
                + " [ALL_METRICS, REQUEST_COUNT,"),
        Arguments.of(map("metrics", list(map("overrides", list(
                map("match", map("metric", "REQUEST_COUNT", "customMetric", "x")))))),
            "spec.metrics[0].overrides[0].match.customMetric",
            "'x' (expected: absent when match.metric is set (one of metric, customMetric))"),
        Arguments.of(map("metrics", list(map("overrides", list(map("disabled", "no"))))),
            "spec.metrics[0].overrides[0].disabled", "'no' (expected: true or false)"),
        Arguments.of(map("metrics", list(map("overrides", list(map("tagOverrides", map(
                "x", map("operation", "DELETE"))))))),
            "spec.metrics[0].overrides[0].tagOverrides.x.operation",
            "'DELETE' (expected: one of [UPSERT, REMOVE])"),
        Arguments.of(map("metrics", list(map("overrides", list(map("tagOverrides", map(
                "x", map("operation", "REMOVE", "value", "'a'"))))))),
            "spec.metrics[0].overrides[0].tagOverrides.x.value",
            "''a'' (expected: absent when operation is REMOVE)"),
        Arguments.of(map("metrics", list(map("overrides", list(map("tagOverrides", map(
                "x", map("operation", "UPSERT"))))))),
            "spec.metrics[0].overrides[0].tagOverrides.x.value",
            "missing (expected: a CEL expression when operation is UPSERT)"),
        Arguments.of(map("metrics", list(map("overrides", list(map("tagOverrides", map(
                "x", map("value", 3))))))),
            "spec.metrics[0].overrides[0].tagOverrides.x.value", "3 (expected: a string)"),
        Arguments.of(map("metrics", list(map("interval", "5s"))), "spec.metrics[0].interval",
            "not a field of this message (expected one of [overrides, providers,"
                + " reportingInterval])"),
        Arguments.of(map("accessLogging", list(map("disabled", 1))),
            "spec.accessLogging[0].disabled", "1 (expected: true or false)"),
        Arguments.of(map("accessLogging", list(map("filter", map("expresion", "x")))),
            "spec.accessLogging[0].filter.expresion",
            "not a field of this message (expected one of [expression])"),
        Arguments.of(map("accessLogging", list(map("filter", map("expression", 400)))),
            "spec.accessLogging[0].filter.expression", "400 (expected: a string)"),
        Arguments.of(map("accessLogging", list(map("match", map("mode", "client")))),
            "spec.accessLogging[0].match.mode",
            "'client' (expected: one of [CLIENT_AND_SERVER, CLIENT, SERVER])"));
  }

  @ParameterizedTest
  @MethodSource("invalid")
  void refusesNamingResourceFieldValueAndExpectation(Map<String, Object> spec, String field,
      String detail) {
    assertThatThrownBy(() -> compile(source("ns", "bad", spec)))
        .isInstanceOfSatisfying(TelemetryException.class, e -> {
          org.assertj.core.api.Assertions.assertThat(e.resource())
              .isEqualTo("Telemetry ns/bad");
          org.assertj.core.api.Assertions.assertThat(e.field()).isEqualTo(field);
        })
        .hasMessageStartingWith("Telemetry ns/bad: " + field + ": ")
        .hasMessageContaining(detail);
  }
}
