package io.inboard.mesh.controlplane.internal.translate;

import static org.assertj.core.api.Assertions.assertThat;

import io.inboard.mesh.api.internal.telemetry.policy.TelemetrySource;
import io.inboard.mesh.api.internal.telemetry.policy.TraceExporter;
import io.inboard.mesh.controlplane.ResourceId;
import io.inboard.mesh.controlplane.ServiceEndpoint;
import io.inboard.mesh.controlplane.internal.model.ParsedResource;
import io.inboard.mesh.controlplane.internal.telemetry.TelemetryMeshConfig;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Which Telemetries apply to a workload, in which order: Istio's rule, one per level (root
 * namespace, namespace, workload), the oldest of a level first.
 */
class TelemetryScopesTest {
  static final Map<String, String> REVIEWS = Map.of("app", "reviews", "version", "v1");

  static ParsedResource.Telemetry telemetry(String namespace, String name,
      Map<String, String> selector, List<String> services, Optional<Instant> created) {
    return new ParsedResource.Telemetry(new ResourceId("Telemetry", namespace, name), selector,
        services, new TelemetrySource(namespace, name, Map.of()), created, List.of());
  }

  static ParsedResource.Telemetry telemetry(String namespace, String name,
      Map<String, String> selector) {
    return telemetry(namespace, name, selector, List.of(), Optional.empty());
  }

  static List<String> applying(List<ParsedResource> resources, String namespace,
      Map<String, String> labels) {
    return new TelemetryScopes(resources, List.of(), "istio-system", "cluster.local",
        TelemetryMeshConfig.DEFAULT).forWorkload(namespace, labels).stream()
        .map(s -> s.namespace() + "/" + s.name()).toList();
  }

  /** telemetry namespace, its selector, workload namespace, whether it applies to REVIEWS. */
  static Stream<Arguments> scopes() {
    return Stream.of(
        Arguments.of("istio-system", Map.of(), "default", true),
        Arguments.of("istio-system", Map.of(), "istio-system", true),
        // unlike AuthorizationPolicy: a root-namespace selector reaches its own namespace only
        Arguments.of("istio-system", Map.of("app", "reviews"), "default", false),
        Arguments.of("istio-system", Map.of("app", "reviews"), "istio-system", true),
        Arguments.of("default", Map.of(), "default", true),
        Arguments.of("default", Map.of(), "shop", false),
        Arguments.of("default", Map.of("app", "reviews"), "default", true),
        Arguments.of("default", Map.of("app", "reviews", "version", "v2"), "default", false),
        Arguments.of("default", Map.of("app", "reviews"), "shop", false));
  }

  @ParameterizedTest(name = "{0} selector {1} → workload in {2}: {3}")
  @MethodSource("scopes")
  void appliesByNamespaceAndSelectorAsIstioDoes(String namespace, Map<String, String> selector,
      String workloadNamespace, boolean applies) {
    assertThat(applying(List.of(telemetry(namespace, "t", selector)), workloadNamespace,
        REVIEWS)).isEqualTo(applies ? List.of(namespace + "/t") : List.of());
  }

  @Test
  void rootThenNamespaceThenWorkloadOnePerLevel() {
    List<ParsedResource> all = List.of(
        telemetry("default", "b-workload", Map.of("app", "reviews")),
        telemetry("default", "a-workload", Map.of("version", "v1")),
        telemetry("default", "z-namespace", Map.of()),
        telemetry("default", "y-namespace", Map.of()),
        telemetry("istio-system", "mesh", Map.of()));
    assertThat(applying(all, "default", REVIEWS)).containsExactly(
        "istio-system/mesh", "default/y-namespace", "default/a-workload");
  }

  @Test
  void theOldestOfALevelWinsOverTheFirstByName() {
    List<ParsedResource> all = List.of(
        telemetry("default", "a", Map.of(), List.of(),
            Optional.of(Instant.parse("2026-01-02T00:00:00Z"))),
        telemetry("default", "b", Map.of(), List.of(),
            Optional.of(Instant.parse("2026-01-01T00:00:00Z"))));
    assertThat(applying(all, "default", REVIEWS)).containsExactly("default/b");
  }

  @Test
  void aServiceTargetAppliesToTheWorkloadsThatServeIt() {
    List<ParsedResource> all = List.of(
        telemetry("default", "by-service", Map.of(), List.of("reviews"), Optional.empty()));
    List<ServiceEndpoint> endpoints = List.of(new ServiceEndpoint(
        "reviews.default.svc.cluster.local", 9080, "127.0.0.1", Map.of("app", "reviews")));
    TelemetryScopes scopes = new TelemetryScopes(all, endpoints, "istio-system",
        "cluster.local", TelemetryMeshConfig.DEFAULT);
    assertThat(scopes.forWorkload("default", REVIEWS)).extracting(TelemetrySource::name)
        .containsExactly("by-service");
    assertThat(scopes.forWorkload("default", Map.of("app", "ratings"))).isEmpty();
  }

  @Test
  void meshConfigDefaultsComeFirstAndEnableTracingFalseOnlyWithoutTelemetryTracing() {
    TraceExporter zipkin = new TraceExporter("zipkin", TraceExporter.Kind.ZIPKIN,
        URI.create("http://zipkin:9411/api/v2/spans"));
    TelemetryMeshConfig mesh = new TelemetryMeshConfig(List.of(zipkin), List.of(),
        List.of("envoy"), false, List.of());
    ParsedResource.Telemetry tracing = new ParsedResource.Telemetry(
        new ResourceId("Telemetry", "default", "t"), Map.of(), List.of(),
        new TelemetrySource("default", "t", Map.of("tracing",
            List.of(Map.of("randomSamplingPercentage", 5)))), Optional.empty(), List.of());
    TelemetryScopes scopes = new TelemetryScopes(List.of(tracing), List.of(), "istio-system",
        "cluster.local", mesh);

    List<TelemetrySource> inDefault = scopes.forWorkload("default", REVIEWS);
    assertThat(inDefault).extracting(TelemetrySource::name)
        .containsExactly(TelemetryMeshConfig.DEFAULTS_SOURCE, "t");
    assertThat(inDefault.get(0).spec()).isEqualTo(Map.of("accessLogging",
        List.of(Map.of("providers", List.of(Map.of("name", "envoy"))))));

    List<TelemetrySource> elsewhere = scopes.forWorkload("shop", REVIEWS);
    assertThat(elsewhere).singleElement().satisfies(s -> assertThat(s.spec())
        .containsEntry("tracing", List.of(Map.of("randomSamplingPercentage", 0,
            "disableSpanReporting", true))));
    assertThat(scopes.exporters()).containsExactly(zipkin);
  }
}
