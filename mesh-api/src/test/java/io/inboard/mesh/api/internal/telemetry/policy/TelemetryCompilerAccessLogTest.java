package io.inboard.mesh.api.internal.telemetry.policy;

import static io.inboard.mesh.api.internal.telemetry.policy.Specs.compile;
import static io.inboard.mesh.api.internal.telemetry.policy.Specs.list;
import static io.inboard.mesh.api.internal.telemetry.policy.Specs.map;
import static io.inboard.mesh.api.internal.telemetry.policy.Specs.providers;
import static io.inboard.mesh.api.internal.telemetry.policy.Specs.source;
import static org.assertj.core.api.Assertions.assertThat;

import io.inboard.mesh.api.internal.telemetry.policy.AccessLogRules.Encoding;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TelemetryCompilerAccessLogTest {

  private static Map<String, Object> logging(Object... entries) {
    return map("accessLogging", list(entries));
  }

  private static Map<String, Object> with(Map<String, Object> m, String key, Object value) {
    m.put(key, value);
    return m;
  }

  @Test
  void namingEnvoyTurnsTheTextLogOnForBothSides() {
    TelemetryPolicy p = compile(source(logging(providers("envoy")))).policy();
    assertThat(p.client().accessLog()).isEqualTo(
        new AccessLogRules(true, Encoding.TEXT, AccessLogRules.CodeFilter.ALL));
    assertThat(p.server().accessLog().enabled()).isTrue();
  }

  @Test
  void envoyJsonIsTheJsonLine() {
    TelemetryPolicy p = compile(source(logging(providers("envoy-json")))).policy();
    assertThat(p.server().accessLog().encoding()).isEqualTo(Encoding.JSON);
  }

  @Test
  void bothBuiltInLogsOnWriteTheTextLineAndWarn() {
    TelemetryCompilation c = compile(source(logging(providers("envoy", "envoy-json"))));
    assertThat(c.policy().server().accessLog().encoding()).isEqualTo(Encoding.TEXT);
    assertThat(c.warnings()).singleElement().hasToString("Telemetry default/t:"
        + " spec.accessLogging[0].providers: provider 'envoy-json' not honoured while 'envoy'"
        + " is also on: a workload writes one line per request, the text one");
  }

  @Test
  void modeLimitsLoggingToOneSide() {
    TelemetryPolicy p = compile(source(logging(
        with(providers("envoy"), "match", map("mode", "SERVER"))))).policy();
    assertThat(p.server().accessLog().enabled()).isTrue();
    assertThat(p.client().accessLog().enabled()).isFalse();
  }

  @Test
  void laterDisabledWithoutProvidersTurnsTheInheritedProviderOff() {
    TelemetryPolicy p = compile(
        source("istio-system", "mesh", logging(providers("envoy"))),
        source("default", "ns", logging(map("match", map("mode", "CLIENT"), "disabled", true))))
        .policy();
    assertThat(p.client().accessLog().enabled()).isFalse();
    assertThat(p.server().accessLog().enabled()).isTrue();
  }

  @Test
  void aLaterResourceNamingOtherProvidersTakesTheEarlierOnesOutOfScope() {
    TelemetryCompilation c = compile(
        source("istio-system", "mesh", logging(providers("envoy"))),
        source("default", "ns", logging(providers("otel-als"))));
    assertThat(c.policy().server().accessLog().enabled()).isFalse();
    assertThat(c.warnings()).singleElement().hasToString("Telemetry default/ns:"
        + " spec.accessLogging[0].providers: provider 'otel-als' not honoured: Inboard writes"
        + " Istio's built-in logs only (expected: envoy or envoy-json)");
  }

  @Test
  void entriesWithoutProvidersAndNoneBeforeLogNothing() {
    TelemetryPolicy p = compile(source(logging(map("disabled", false)))).policy();
    assertThat(p.server().accessLog()).isEqualTo(AccessLogRules.DEFAULT);
  }

  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
      "response.code >= 400; 404; 200",
      "response.code == 503; 503; 500",
      "response.code != 200; 500; 200",
      "response.code < 300; 204; 300",
      "response.code <= 299; 299; 300",
      "response.code > 499; 500; 499",
      "response.code >= 400 && response.code < 500; 404; 503",
      "response.code == 200 || response.code >= 500; 503; 404",
      "response.code==404||response.code>=500 && response.code!=503; 404; 503"})
  void filterOverResponseCode(String expression, int logged, int skipped) {
    TelemetryPolicy p = compile(source(logging(with(providers("envoy"), "filter",
        map("expression", expression))))).policy();
    assertThat(p.server().accessLog().logs(logged)).isTrue();
    assertThat(p.server().accessLog().logs(skipped)).isFalse();
  }

  @Test
  void aFilterInboardCannotEvaluateIsWarnedAndEveryRequestIsLogged() {
    TelemetryCompilation c = compile(source(logging(with(providers("envoy"), "filter",
        map("expression", "request.path.startsWith('/api')")))));
    assertThat(c.policy().server().accessLog().logs(200)).isTrue();
    assertThat(c.warnings()).singleElement().satisfies(w -> {
      assertThat(w.field()).isEqualTo("spec.accessLogging[0].filter.expression");
      assertThat(w.detail()).contains("every request is logged");
    });
  }
}
