package io.inboard.mesh.controlplane.internal.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Kiali's queries against a loopback HTTP server that answers as Prometheus's
 * {@code /api/v1/query} does, with the answers per query set by each test.
 */
class PrometheusSourceTest {
  private static final Duration MINUTE = Duration.ofSeconds(60);

  private HttpServer prometheus;
  private final List<String> asked = new CopyOnWriteArrayList<>();
  private final Map<String, String> answers = new ConcurrentHashMap<>();

  @BeforeEach
  void startPrometheus() throws IOException {
    prometheus = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    prometheus.createContext("/api/v1/query", ex -> {
      String raw = ex.getRequestURI().getRawQuery();
      String query = URLDecoder.decode(raw.substring("query=".length()), StandardCharsets.UTF_8);
      asked.add(query);
      String body = answers.getOrDefault(query,
          "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}");
      int status = body.contains("\"error\"") ? 400 : 200;
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "application/json");
      ex.sendResponseHeaders(status, bytes.length);
      try (var out = ex.getResponseBody()) {
        out.write(bytes);
      }
    });
    prometheus.start();
  }

  @AfterEach
  void stopPrometheus() {
    prometheus.stop(0);
  }

  private PrometheusSource source() {
    return new PrometheusSource(URI.create("http://127.0.0.1:" + prometheus.getAddress().getPort()
        + "/"), Duration.ofSeconds(2));
  }

  @Test
  void asksKialisFiveQueriesPerNamespace() {
    source().traffic(MINUTE, Set.of("default"));

    assertThat(asked).containsExactlyInAnyOrder(KialiQueries.unservedIncoming("default", MINUTE),
        KialiQueries.incoming("default", MINUTE), KialiQueries.outgoing("default", MINUTE),
        KialiQueries.security("default", MINUTE), KialiQueries.responseTime("default", MINUTE));
  }

  @Test
  void answersBecomeAGraphWithRatesErrorsLatencyAndMtls() {
    String edge = "\"source_workload_namespace\":\"default\",\"source_workload\":\"productpage-v1\","
        + "\"destination_service_namespace\":\"default\",\"destination_service\":"
        + "\"reviews.default.svc.cluster.local\",\"destination_service_name\":\"reviews\","
        + "\"destination_workload_namespace\":\"default\",\"destination_workload\":\"reviews-v2\"";
    answers.put(KialiQueries.incoming("default", MINUTE), vector(
        row(edge + ",\"request_protocol\":\"http\",\"response_code\":\"200\","
            + "\"grpc_response_status\":\"\",\"response_flags\":\"-\"", "9"),
        row(edge + ",\"request_protocol\":\"http\",\"response_code\":\"503\","
            + "\"grpc_response_status\":\"\",\"response_flags\":\"-\"", "1")));
    // the client's view of the same requests: counted once
    answers.put(KialiQueries.outgoing("default", MINUTE), vector(
        row(edge + ",\"request_protocol\":\"http\",\"response_code\":\"200\","
            + "\"grpc_response_status\":\"\",\"response_flags\":\"-\"", "9")));
    answers.put(KialiQueries.security("default", MINUTE), vector(
        row(edge + ",\"connection_security_policy\":\"mutual_tls\"", "7.5"),
        row(edge + ",\"connection_security_policy\":\"none\"", "2.5")));
    answers.put(KialiQueries.responseTime("default", MINUTE), vector(row(edge, "42.5")));

    TrafficSnapshot snapshot = source().traffic(MINUTE, Set.of("default"));
    ServiceGraph graph = new GraphAssembler((ns, w) -> Optional.of(
        new GraphAssembler.AppVersion("reviews", "v2"))).assemble(snapshot);

    assertThat(snapshot.problems()).isEmpty();
    assertThat(graph.edges()).singleElement().satisfies(e -> {
      assertThat(e.id()).isEqualTo("default/productpage-v1 -> default/reviews-v2");
      assertThat(e.rps()).isCloseTo(10.0, within(1e-9));
      assertThat(e.requests()).isCloseTo(600.0, within(1e-9));
      assertThat(e.errorPercent()).isCloseTo(10.0, within(1e-9));
      assertThat(e.health()).isEqualTo(Health.FAILURE);
      assertThat(e.p95Ms()).isEqualTo(42.5);
      assertThat(e.mtlsPercent()).isCloseTo(75.0, within(1e-9));
    });
    assertThat(graph.nodes()).extracting(GraphNode::id)
        .containsExactly("default/productpage-v1", "default/reviews-v2");
  }

  @Test
  void failedQuery_isReportedAsAProblem_andTheRestStillCounts() {
    answers.put(KialiQueries.responseTime("default", MINUTE),
        "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"parse error\"}");

    TrafficSnapshot snapshot = source().traffic(MINUTE, Set.of("default"));

    assertThat(snapshot.problems()).singleElement().asString()
        .contains("status: 'error' (expected: success); bad_data: parse error")
        .contains("histogram_quantile");
  }

  @Test
  void unreachablePrometheus_isReportedWithinTheTimeout() {
    prometheus.stop(0);

    TrafficSnapshot snapshot = source().traffic(MINUTE, Set.of("default"));

    assertThat(snapshot.problems()).hasSize(5).allSatisfy(p -> assertThat(p)
        .startsWith("prometheus http://127.0.0.1:"));
    assertThat(snapshot.requests()).isEmpty();
  }

  private static String row(String labels, String value) {
    return "{\"metric\":{" + labels + "},\"value\":[1700000000.123,\"" + value + "\"]}";
  }

  private static String vector(String... rows) {
    return "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
        + String.join(",", rows) + "]}}";
  }
}
