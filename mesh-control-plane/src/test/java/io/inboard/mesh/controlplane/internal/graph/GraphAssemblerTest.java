package io.inboard.mesh.controlplane.internal.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GraphAssemblerTest {
  private static final GraphAssembler.KnownWorkloads NONE = (ns, w) -> Optional.empty();

  /** A row as Inboard's workloads label istio_requests_total today (no canonical labels). */
  static Map<String, String> labels(String reporter, String source, String destination,
      String code) {
    Map<String, String> l = new HashMap<>();
    l.put("reporter", reporter);
    l.put("source_workload_namespace", source.equals("unknown") ? "unknown" : "default");
    l.put("source_workload", source);
    l.put("source_app", source.replaceAll("-v\\d$", ""));
    l.put("source_version", "v1");
    l.put("destination_workload_namespace", destination.equals("unknown") ? "unknown" : "default");
    l.put("destination_workload", destination);
    l.put("destination_app", "ratings");
    l.put("destination_version", "v1");
    l.put("destination_service", "ratings.default.svc.cluster.local");
    l.put("destination_service_name", "ratings");
    l.put("destination_service_namespace", "default");
    l.put("request_protocol", "http");
    l.put("response_code", code);
    l.put("grpc_response_status", "");
    l.put("response_flags", "-");
    l.put("connection_security_policy", reporter.equals("source") ? "unknown" : "mutual_tls");
    return l;
  }

  private static TrafficSnapshot snapshot(List<TrafficRow> requests) {
    return new TrafficSnapshot("scrape", requests, List.of(), List.of(), List.of());
  }

  @Test
  void requestsBothReportersSaw_areCountedOnce() {
    ServiceGraph g = new GraphAssembler(NONE).assemble(snapshot(List.of(
        new TrafficRow(labels("destination", "reviews-v2", "ratings-v1", "200"), 2, 120),
        new TrafficRow(labels("source", "reviews-v2", "ratings-v1", "200"), 2, 120))));

    assertThat(g.edges()).singleElement().satisfies(e -> {
      assertThat(e.id()).isEqualTo("default/reviews-v2 -> default/ratings-v1");
      assertThat(e.rps()).isEqualTo(2.0);
      assertThat(e.requests()).isEqualTo(120.0);
      assertThat(e.health()).isEqualTo(Health.HEALTHY);
    });
    assertThat(g.nodes()).extracting(GraphNode::app).containsExactly("ratings", "reviews");
  }

  @Test
  void clientSideAbort_goesToTheServiceNode_andFailsThatEdge() {
    Map<String, String> aborted = labels("source", "reviews-v2", "unknown", "500");
    aborted.put("response_flags", "FI");

    ServiceGraph g = new GraphAssembler(NONE).assemble(snapshot(List.of(
        new TrafficRow(aborted, 1, 60))));

    assertThat(g.edges()).singleElement().satisfies(e -> {
      assertThat(e.target()).isEqualTo("service:default/ratings");
      assertThat(e.errorPercent()).isEqualTo(100.0);
      assertThat(e.health()).isEqualTo(Health.FAILURE);
      assertThat(e.responses().get("500").flags()).containsOnlyKeys("FI");
    });
    assertThat(g.nodeHealth()).containsEntry("service:default/ratings", Health.FAILURE)
        .containsEntry("default/reviews-v2", Health.HEALTHY);
  }

  @Test
  void callerOutsideTheMesh_isTheUnknownNode_andBadSourceTelemetryIsDropped() {
    Map<String, String> bad = labels("destination", "x", "ratings-v1", "200");
    bad.put("source_workload", "unknown");
    bad.put("source_app", "unknown");

    ServiceGraph g = new GraphAssembler(NONE).assemble(snapshot(List.of(
        new TrafficRow(labels("destination", "unknown", "ratings-v1", "200"), 1, 60),
        new TrafficRow(bad, 5, 300))));

    assertThat(g.edges()).singleElement().extracting(GraphEdge::id)
        .isEqualTo("unknown -> default/ratings-v1");
  }

  @Test
  void mtlsShareAndLatency_fromTheServersView_clientLatencyOnlyWhereTheServerHasNone() {
    TrafficRow plain = new TrafficRow(labels("destination", "reviews-v2", "ratings-v1", "200"),
        3, 180);
    Map<String, String> noTls = labels("destination", "reviews-v2", "ratings-v1", "200");
    noTls.put("connection_security_policy", "none");
    Map<String, String> aborted = labels("source", "reviews-v3", "unknown", "0");

    ServiceGraph g = new GraphAssembler(NONE).assemble(new TrafficSnapshot("scrape",
        List.of(plain, new TrafficRow(aborted, 1, 60)),
        List.of(plain, new TrafficRow(noTls, 1, 60)),
        List.of(new TrafficRow(labels("source", "reviews-v2", "ratings-v1", "200"), 99, 0),
            new TrafficRow(labels("destination", "reviews-v2", "ratings-v1", "200"), 12, 0),
            new TrafficRow(aborted, 1000, 0)),
        List.of()));

    GraphEdge served = g.edges().get(0);
    GraphEdge failed = g.edges().get(1);
    assertThat(served.mtlsPercent()).isCloseTo(75.0, within(1e-9));
    assertThat(served.p95Ms()).isEqualTo(12.0);
    assertThat(failed.id()).isEqualTo("default/reviews-v3 -> service:default/ratings");
    assertThat(failed.p95Ms()).isEqualTo(1000.0);
    assertThat(failed.mtlsPercent()).isNaN();
    assertThat(failed.responses()).containsOnlyKeys("-");
    assertThat(failed.health()).isEqualTo(Health.FAILURE);
  }

  @Test
  void missingAppAndVersionLabels_comeFromTheKnownWorkloads() {
    Map<String, String> bare = new HashMap<>(Map.of("reporter", "destination",
        "source_workload_namespace", "default", "source_workload", "productpage-v1",
        "destination_workload_namespace", "default", "destination_workload", "details-v1",
        "request_protocol", "http", "response_code", "200"));

    ServiceGraph g = new GraphAssembler((ns, w) -> Optional.of(new GraphAssembler.AppVersion(
        w.replaceAll("-v1$", ""), "v1"))).assemble(snapshot(List.of(
        new TrafficRow(bare, 1, 60))));

    assertThat(g.nodes()).extracting(n -> n.app() + ":" + n.version())
        .containsExactly("details:v1", "productpage:v1");
  }
}
