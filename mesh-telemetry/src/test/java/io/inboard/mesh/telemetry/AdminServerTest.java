package io.inboard.mesh.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.discovery.StaticDiscovery;
import io.inboard.mesh.api.internal.InternalMesh;
import io.inboard.mesh.api.internal.telemetry.PeerIdentity;
import io.inboard.mesh.api.internal.telemetry.RequestReport;
import io.inboard.mesh.api.inbound.InboundRequest.Protocol;
import io.inboard.mesh.api.internal.telemetry.RequestReport.Reporter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdminServerTest {

  private final HttpClient http = HttpClient.newHttpClient();
  private Mesh mesh;

  @BeforeEach
  void startMesh() {
    mesh = Mesh.builder().workloadName("reviews-v2").namespace("default")
        .label("app", "reviews").label("version", "v2")
        .discovery(new StaticDiscovery()).adminPort(0).build();
  }

  @AfterEach
  void closeMesh() {
    mesh.close();
  }

  @Test
  void statsPrometheus_showsIstioRequestsTotalWithIstioLabels() throws Exception {
    PeerIdentity caller = new PeerIdentity("productpage-v1", "default", "productpage", "v1");
    RequestReport report = RequestReport.builder(Reporter.DESTINATION, Protocol.GRPC)
        .source(caller).destination(PeerIdentity.of(mesh))
        .destinationService("reviews.default.svc.cluster.local").responseCode(200)
        .grpcStatus("0").durationNanos(3_000_000L).requestBytes(12).responseBytes(34).build();
    InternalMesh.telemetry(mesh).metrics().record(report);
    InternalMesh.telemetry(mesh).metrics().record(report);

    String body = get("/stats/prometheus");

    assertThat(body).contains("# TYPE istio_requests_total counter");
    String series = body.lines().filter(l -> l.startsWith("istio_requests_total{")).findFirst()
        .orElseThrow();
    assertThat(series).contains("reporter=\"destination\"", "source_workload=\"productpage-v1\"",
        "source_canonical_service=\"productpage\"", "source_canonical_revision=\"v1\"",
        "destination_canonical_service=\"reviews\"", "destination_canonical_revision=\"v2\"",
        "source_principal=\"unknown\"", "destination_principal=\"unknown\"",
        "source_app=\"productpage\"", "source_version=\"v1\"",
        "source_workload_namespace=\"default\"", "destination_workload=\"reviews-v2\"",
        "destination_app=\"reviews\"", "destination_version=\"v2\"",
        "destination_service=\"reviews.default.svc.cluster.local\"",
        "destination_service_name=\"reviews\"", "destination_service_namespace=\"default\"",
        "request_protocol=\"grpc\"", "response_code=\"200\"", "grpc_response_status=\"0\"",
        "response_flags=\"-\"", "connection_security_policy=\"none\"")
        .endsWith(" 2.0");
    assertThat(body).contains("istio_request_duration_milliseconds_bucket{",
        "istio_request_bytes_sum{", "istio_response_bytes_sum{")
        .doesNotContain("otel_scope_name", "target_info");
  }

  @Test
  void statsPrometheus_isOneValidScrape_istioMetricsThenEnvoyClusterStats() throws Exception {
    InternalMesh.telemetry(mesh).metrics().record(RequestReport.builder(Reporter.SOURCE,
        Protocol.HTTP).source(PeerIdentity.of(mesh)).responseCode(200).requestBytes(1).build());
    InternalMesh.telemetry(mesh).health().count(
        io.inboard.mesh.api.internal.telemetry.MeshHealthMetrics.Counter.TIMEOUT,
        "outbound|9080||ratings.default.svc.cluster.local");

    String body = get("/stats/prometheus");

    // every sample belongs to the family declared last, and no family is declared twice
    java.util.Set<String> declared = new java.util.HashSet<>();
    String family = null;
    for (String line : body.split("\n")) {
      if (line.startsWith("# TYPE ")) {
        family = line.split(" ")[2];
        assertThat(declared.add(family)).as("declared once: %s", family).isTrue();
      } else if (!line.startsWith("#") && !line.isBlank()) {
        assertThat(line).as("sample of family %s", family).startsWith(family);
      }
    }
    assertThat(declared).contains(IstioMetrics.REQUESTS_TOTAL, IstioMetrics.REQUEST_BYTES,
        EnvoyStats.UPSTREAM_RQ_TIMEOUT);
    assertThat(PrometheusText.parse(body).samples(EnvoyStats.UPSTREAM_RQ_TIMEOUT)).hasSize(1);
  }

  @Test
  void configDump_showsWorkloadPropagationAndAddedSections() throws Exception {
    InternalMesh.configDumpSection(mesh, "xds", () -> Map.of("acked", List.of("reviews.default:9080")));

    String body = get("/debug/config_dump");

    assertThat(body).contains("\"name\": \"reviews-v2\"", "\"app\": \"reviews\"",
        "\"x-request-id\"", "\"xds\": {", "\"reviews.default:9080\"");
  }

  @Test
  void closingMesh_stopsAdminServer() {
    var address = mesh.adminAddress().orElseThrow();
    mesh.close();
    assertThat(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      try (var s = new java.net.Socket(address.getAddress(), address.getPort())) {
        return "connected";
      } catch (java.io.IOException e) {
        return "refused";
      }
    }).join()).isEqualTo("refused");
  }

  @Test
  void defaultAdminPortTaken_fallsBackToEphemeralPort() {
    try (Mesh first = Mesh.builder().workloadName("a").namespace("default")
            .discovery(new StaticDiscovery()).build();
        Mesh second = Mesh.builder().workloadName("b").namespace("default")
            .discovery(new StaticDiscovery()).build()) {
      int a = first.adminAddress().orElseThrow().getPort();
      int b = second.adminAddress().orElseThrow().getPort();
      assertThat(a).isNotEqualTo(b);
      assertThat(List.of(a, b)).allMatch(p -> p > 0);
    }
  }

  private String get(String path) throws Exception {
    int port = mesh.adminAddress().orElseThrow().getPort();
    HttpResponse<String> r = http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }
}
