package io.inboard.e2e.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.internal.InternalMesh;
import io.inboard.mesh.api.internal.telemetry.MeshTelemetry;
import io.inboard.mesh.api.internal.telemetry.policy.AccessLogRules;
import io.inboard.mesh.api.internal.telemetry.policy.MetricRules.TagOverride;
import io.inboard.mesh.api.internal.telemetry.policy.MetricRules.TagValue;
import io.inboard.mesh.api.internal.telemetry.policy.TelemetryPolicy;
import io.inboard.mesh.api.internal.telemetry.policy.TraceExporter;
import io.inboard.mesh.controlplane.Diagnostic;
import io.inboard.mesh.controlplane.Diagnostics;
import io.inboard.mesh.controlplane.testing.ControlPlaneExtension;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Istio Telemetry resources from a real control plane reach a workload's telemetry at run time:
 * applied, updated and deleted with the bookinfo examples, merged root namespace → namespace →
 * workload; a bad one is refused by the control plane naming the field and changes nothing.
 * The workload never starts a server: it gets its policy from the mesh's start.
 */
class TelemetryPolicyEndToEndTest {
  static final Path EXAMPLES = Path.of("../../examples/bookinfo/telemetry");
  static final Duration WAIT = Duration.ofSeconds(30);
  static final TraceExporter ZIPKIN = new TraceExporter("zipkin", TraceExporter.Kind.ZIPKIN,
      URI.create("http://zipkin.istio-system.svc.cluster.local:9411/api/v2/spans"));

  @RegisterExtension
  static final ControlPlaneExtension cp = ControlPlaneExtension.builder()
      .configure(b -> b.meshConfig(EXAMPLES.resolve("mesh-config.yaml"))).build();

  static String example(String file) throws Exception {
    return Files.readString(EXAMPLES.resolve(file));
  }

  @Test
  void telemetryIsAppliedUpdatedAndDeletedAtRunTime() throws Exception {
    Mesh reviews = cp.mesh("reviews-v1", b -> b.label("app", "reviews").label("version", "v1"));
    MeshTelemetry telemetry = InternalMesh.telemetry(reviews);
    assertThat(telemetry).isNotSameAs(MeshTelemetry.NONE);
    assertThat(telemetry.policy()).isEqualTo(TelemetryPolicy.DEFAULT);

    cp.apply(example("mesh-default.yaml"));
    TelemetryPolicy meshWide = await().atMost(WAIT).until(telemetry::policy,
        p -> p.server().tracing().samplingPercentage() == 100.0);
    assertThat(meshWide.client().tracing().samplingPercentage()).isEqualTo(100.0);
    assertThat(meshWide.server().accessLog().enabled()).isTrue();
    assertThat(meshWide.client().accessLog().encoding()).isEqualTo(AccessLogRules.Encoding.TEXT);
    assertThat(meshWide.exporters()).containsExactly(ZIPKIN);

    cp.apply(example("reviews-tag-overrides.yaml"));
    TelemetryPolicy tagged = await().atMost(WAIT).until(telemetry::policy,
        p -> !p.server().metrics().overrides("istio_requests_total").isEmpty());
    assertThat(tagged.server().metrics().overrides("istio_requests_total")).containsExactly(
        new TagOverride("destination_tier", new TagValue.Literal("backend")),
        new TagOverride("request_protocol", null),
        new TagOverride("user_agent", new TagValue.RequestHeader("user-agent")));
    assertThat(tagged.client().metrics().overrides("istio_requests_total")).isEmpty();
    assertThat(tagged.capturedHeaders()).containsExactly("user-agent");
    // the mesh-wide settings still apply beneath the workload's
    assertThat(tagged.server().tracing().samplingPercentage()).isEqualTo(100.0);

    cp.apply(example("mesh-default.yaml").replace("100.0", "25.0"));
    await().atMost(WAIT).until(telemetry::policy,
        p -> p.server().tracing().samplingPercentage() == 25.0);

    cp.apply(example("namespace-disable.yaml"));
    TelemetryPolicy disabled = await().atMost(WAIT).until(telemetry::policy,
        p -> !p.client().metrics().disabled().isEmpty());
    assertThat(disabled.client().metrics().enabled("istio_requests_total")).isFalse();
    assertThat(disabled.server().metrics().enabled("istio_requests_total")).isTrue();
    assertThat(disabled.server().accessLog().enabled()).isFalse();
    assertThat(disabled.server().tracing().disableSpanReporting()).isTrue();

    Diagnostics refused = cp.applyReporting(example("reviews-tag-overrides.yaml")
        .replace("operation: REMOVE", "operation: DROP"));
    assertThat(refused.errors()).extracting(Diagnostic::toString).containsExactly(
        "Telemetry default/reviews-tags: spec.metrics[0].overrides[0].tagOverrides"
            + ".request_protocol.operation: 'DROP' (expected: one of [UPSERT, REMOVE])");

    for (String file : List.of("namespace-disable.yaml", "reviews-tag-overrides.yaml",
        "mesh-default.yaml")) {
      assertThat(cp.controlPlane().delete(example(file)).deleted()).hasSize(1);
    }
    await().atMost(WAIT).until(telemetry::policy, TelemetryPolicy.DEFAULT::equals);
  }

  @Test
  void aWorkloadOfAnotherNamespaceGetsOnlyTheMeshWideTelemetry() throws Exception {
    Mesh ratings = cp.mesh("ratings-v1", b -> b.namespace("shop").label("app", "ratings"));
    cp.apply(example("namespace-disable.yaml").replace("namespace: default", "namespace: other")
        .replace("name: namespace-disable", "name: other-disable"));
    cp.apply("""
        apiVersion: telemetry.istio.io/v1alpha1
        kind: Telemetry
        metadata: {name: shop-json, namespace: shop}
        spec:
          accessLogging: [{providers: [{name: envoy-json}], filter: {expression: "response.code >= 500"}}]
        """);
    TelemetryPolicy p = await().atMost(WAIT).until(InternalMesh.telemetry(ratings)::policy,
        x -> x.server().accessLog().enabled());
    assertThat(p.server().accessLog().encoding()).isEqualTo(AccessLogRules.Encoding.JSON);
    assertThat(p.server().accessLog().logs(503)).isTrue();
    assertThat(p.server().accessLog().logs(404)).isFalse();
    assertThat(p.client().metrics().disabled()).isEmpty();
  }
}
