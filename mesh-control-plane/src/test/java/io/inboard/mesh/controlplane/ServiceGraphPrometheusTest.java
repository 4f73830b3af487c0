package io.inboard.mesh.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * {@code ControlPlane.Builder.prometheusUrl}: the graph asks Prometheus instead of scraping
 * workloads. Prometheus is a loopback server answering {@code /api/v1/query} as Prometheus does.
 */
class ServiceGraphPrometheusTest {

  @Test
  void graphAsksPrometheusKialisQueries_forTheDefaultNamespace() throws Exception {
    List<String> asked = new CopyOnWriteArrayList<>();
    HttpServer prometheus = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    prometheus.createContext("/api/v1/query", ex -> {
      String query = URLDecoder.decode(ex.getRequestURI().getRawQuery().substring(6),
          StandardCharsets.UTF_8);
      asked.add(query);
      String result = query.startsWith("sum(rate(istio_requests_total{reporter=\"destination\","
          + "destination_workload_namespace=\"default\"}") && query.contains("response_flags)")
          ? "{\"metric\":{\"source_workload_namespace\":\"default\",\"source_workload\":"
              + "\"productpage-v1\",\"destination_workload_namespace\":\"default\","
              + "\"destination_workload\":\"details-v1\",\"destination_service_namespace\":"
              + "\"default\",\"destination_service_name\":\"details\",\"request_protocol\":"
              + "\"http\",\"response_code\":\"200\",\"response_flags\":\"-\"},"
              + "\"value\":[1700000000,\"2.5\"]}"
          : "";
      byte[] body = ("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
          + result + "]}}").getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, body.length);
      try (var out = ex.getResponseBody()) {
        out.write(body);
      }
    });
    prometheus.start();
    try (ControlPlane cp = ControlPlane.builder().xdsPort(0).securePort(-1)
        .prometheusUrl(URI.create("http://127.0.0.1:" + prometheus.getAddress().getPort()))
        .start();
        AdminHttp admin = new AdminHttp(cp)) {

      JsonObject g = admin.get("/api/v1/graph?duration=5m").json();

      assertThat(g.get("source").getAsString()).isEqualTo("prometheus");
      assertThat(g.getAsJsonArray("problems")).isEmpty();
      assertThat(g.getAsJsonArray("edges")).singleElement().satisfies(e -> {
        JsonObject o = e.getAsJsonObject();
        assertThat(o.get("id").getAsString())
            .isEqualTo("default/productpage-v1 -> default/details-v1");
        assertThat(o.get("rps").getAsDouble()).isEqualTo(2.5);
        assertThat(o.get("requests").getAsDouble()).isEqualTo(750.0);
      });
      assertThat(asked).hasSize(5).allSatisfy(q -> assertThat(q).contains("[300s]"));
    } finally {
      prometheus.stop(0);
    }
  }

  @Test
  void prometheusUrlWithoutHttp_isRefusedNamingTheOption() {
    assertThatThrownBy(() -> ControlPlane.builder().prometheusUrl(URI.create("prometheus:9090")))
        .hasMessage("prometheusUrl: 'prometheus:9090' (expected: an http or https URL with a"
            + " host)");
  }
}
