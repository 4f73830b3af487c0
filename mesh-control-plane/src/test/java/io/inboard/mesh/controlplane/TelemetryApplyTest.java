package io.inboard.mesh.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Telemetry resources are validated on apply with the workloads' own compiler: a bad one is
 * refused naming the field and the last good version stays; a valid field Inboard does not
 * honour is accepted with a warning.
 */
class TelemetryApplyTest {
  static final Path EXAMPLES = Path.of("..", "examples", "bookinfo", "telemetry");

  ControlPlane cp;

  @BeforeEach
  void start() throws Exception {
    cp = ControlPlane.builder().xdsPort(0).adminPort(-1).securePort(-1)
        .meshConfig(EXAMPLES.resolve("mesh-config.yaml")).start();
  }

  @AfterEach
  void stop() {
    cp.close();
  }

  static String example(String file) throws Exception {
    return Files.readString(EXAMPLES.resolve(file));
  }

  @Test
  void bookinfoExamplesApplyWithoutErrorsOrWarnings() throws Exception {
    for (String file : List.of("mesh-default.yaml", "reviews-tag-overrides.yaml",
        "namespace-disable.yaml")) {
      Diagnostics d = cp.apply(example(file));
      assertThat(d.all()).as(file).isEmpty();
    }
    assertThat(cp.resources("telemetry", "", "")).extracting(StoredResource::id)
        .containsExactly(new ResourceId("Telemetry", "istio-system", "mesh-default"),
            new ResourceId("Telemetry", "default", "reviews-tags"),
            new ResourceId("Telemetry", "default", "namespace-disable"));
    assertThat(cp.diagnostics().notServed()).isEmpty();
  }

  @Test
  void invalidTelemetryIsRefusedNamingTheFieldAndTheLastGoodOneStays() throws Exception {
    assertThat(cp.apply(example("mesh-default.yaml")).hasErrors()).isFalse();

    Diagnostics refused = cp.apply(example("mesh-default.yaml")
        .replace("randomSamplingPercentage: 100.0", "randomSamplingPercentage: 150"));

    assertThat(refused.errors()).extracting(Diagnostic::toString).containsExactly(
        "Telemetry istio-system/mesh-default: spec.tracing[0].randomSamplingPercentage: 150"
            + " (expected: 0..100)");
    @SuppressWarnings("unchecked")
    Map<String, Object> spec = (Map<String, Object>) cp.resources("Telemetry", "istio-system",
        "mesh-default").get(0).document().get("spec");
    @SuppressWarnings("unchecked")
    Map<String, Object> tracing = ((List<Map<String, Object>>) spec.get("tracing")).get(0);
    assertThat(tracing.get("randomSamplingPercentage")).isEqualTo(100.0);
  }

  @Test
  void unknownFieldIsRefused() {
    Diagnostics refused = cp.apply("""
        apiVersion: telemetry.istio.io/v1
        kind: Telemetry
        metadata: {name: typo}
        spec:
          accessLogging:
          - provider: [{name: envoy}]
        """);
    assertThat(refused.errors()).extracting(Diagnostic::field)
        .containsExactly("spec.accessLogging[0].provider");
    assertThat(cp.resources("Telemetry", "", "")).isEmpty();
  }

  @Test
  void fieldsNotHonouredAreWarnedOnTheStoredResource() {
    Diagnostics d = cp.apply("""
        apiVersion: telemetry.istio.io/v1alpha1
        kind: Telemetry
        metadata: {name: partial, namespace: shop}
        spec:
          tracing:
          - providers: [{name: jaeger}]
          metrics:
          - reportingInterval: 10s
            overrides:
            - match: {metric: TCP_OPENED_CONNECTIONS}
              disabled: true
          accessLogging:
          - providers: [{name: envoy}]
            filter: {expression: "request.path == '/health'"}
        """);
    assertThat(d.hasErrors()).isFalse();
    assertThat(d.warnings()).extracting(Diagnostic::field).containsExactlyInAnyOrder(
        "spec.tracing[0].providers", "spec.metrics[0].reportingInterval",
        "spec.metrics[0].overrides[0].match.metric",
        "spec.accessLogging[0].filter.expression");
    assertThat(d.warnings()).filteredOn(w -> w.field().equals("spec.tracing[0].providers"))
        .singleElement().extracting(Diagnostic::message).asString()
        .contains("expected one of [zipkin, otel, otel-http]");
    assertThat(cp.resources("Telemetry", "shop", "partial").get(0).diagnostics()).hasSize(4);
  }

  @Test
  void selectorAndTargetRefsTogetherAreRefused() {
    Diagnostics refused = cp.apply("""
        apiVersion: telemetry.istio.io/v1
        kind: Telemetry
        metadata: {name: both}
        spec:
          selector: {matchLabels: {app: reviews}}
          targetRefs: [{kind: Service, name: reviews}]
        """);
    assertThat(refused.errors()).extracting(Diagnostic::field).containsExactly(
        "spec.targetRefs");
  }

  @Test
  void gatewayTargetIsStoredButAppliedToNoWorkloadWithAWarning() {
    Diagnostics d = cp.apply("""
        apiVersion: telemetry.istio.io/v1
        kind: Telemetry
        metadata: {name: gw}
        spec:
          targetRefs: [{group: gateway.networking.k8s.io, kind: Gateway, name: ingress}]
          accessLogging: [{providers: [{name: envoy}]}]
        """);
    assertThat(d.hasErrors()).isFalse();
    assertThat(d.warnings()).singleElement().satisfies(w -> {
      assertThat(w.field()).isEqualTo("spec.targetRefs[0]");
      assertThat(w.message()).startsWith("not applied: gateway.networking.k8s.io/Gateway"
          + " ingress");
    });
  }

  @Test
  void aSecondNamespaceWideTelemetryIsWarnedAsNotApplied() {
    assertThat(cp.apply("""
        apiVersion: telemetry.istio.io/v1
        kind: Telemetry
        metadata: {name: a-first, namespace: shop}
        spec: {}
        """).all()).isEmpty();
    Diagnostics d = cp.apply("""
        apiVersion: telemetry.istio.io/v1
        kind: Telemetry
        metadata: {name: b-second, namespace: shop}
        spec: {}
        """);
    assertThat(d.warnings()).extracting(Diagnostic::toString).containsExactly(
        "WARNING Telemetry shop/b-second: not applied: Telemetry shop/a-first is the"
            + " namespace's Telemetry without selector (Istio applies one: the oldest, then the"
            + " first by name)");
  }
}
