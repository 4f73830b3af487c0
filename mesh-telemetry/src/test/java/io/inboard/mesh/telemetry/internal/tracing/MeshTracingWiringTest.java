package io.inboard.mesh.telemetry.internal.tracing;

import static io.inboard.mesh.telemetry.internal.tracing.TracingFixtures.httpServerDetails;
import static io.inboard.mesh.telemetry.internal.tracing.TracingFixtures.policy;
import static io.inboard.mesh.telemetry.internal.tracing.TracingFixtures.serverReport;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.context.RequestContext;
import io.inboard.mesh.api.discovery.StaticDiscovery;
import io.inboard.mesh.api.inbound.InboundRequest.Protocol;
import io.inboard.mesh.api.internal.InternalMesh;
import io.inboard.mesh.api.internal.telemetry.MeshTelemetry;
import io.inboard.mesh.api.internal.telemetry.MeshTracing.ServerSpan;
import io.inboard.mesh.api.internal.telemetry.policy.TraceExporter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A mesh built with {@code mesh-telemetry} on the class path traces through its policy. */
class MeshTracingWiringTest {

  @Test
  void meshTelemetry_tracesToTheCollectorItsPolicyNames() {
    try (CapturingCollector zipkin = new CapturingCollector();
        Mesh mesh = Mesh.builder().workloadName("ratings-v1").namespace("shop")
            .label("app", "ratings").label("version", "v1")
            .discovery(new StaticDiscovery()).adminPort(-1).build()) {
      MeshTelemetry telemetry = InternalMesh.telemetry(mesh);
      telemetry.configure(policy(100, 100, List.of(new TraceExporter("zipkin",
          TraceExporter.Kind.ZIPKIN, zipkin.uri("/api/v2/spans")))));

      ServerSpan span = telemetry.tracing().startServer("GET", Protocol.HTTP,
          new RequestContext(Map.of("x-request-id", "rid-1")));
      span.end(serverReport(Protocol.HTTP, 200, "", httpServerDetails()));
      String traceId = span.context().header("x-b3-traceid");

      // The exporter's 1 s batch delay, plus the post.
      await().atMost(Duration.ofSeconds(10)).until(() -> zipkin.received(traceId));
      assertThat(zipkin.posts().get(0).text())
          .contains("\"localEndpoint\":{\"serviceName\":\"ratings.shop\"}");
    }
  }
}
