package io.inboard.e2e.bookinfo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.inboard.e2e.observability.RealPrometheus;
import io.inboard.e2e.observability.RealZipkin;
import io.inboard.examples.bookinfo.Workload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Bookinfo's telemetry on the real backends users run: the real Prometheus scrapes every
 * workload's admin port and answers Kiali's own graph queries with bookinfo's edges; the real
 * Zipkin receives every span (100 % sampling, reported through the mesh config's zipkin
 * provider) and holds one trace per page load, productpage → reviews → ratings parented hop by
 * hop.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BookinfoObservabilityTest {

  private static final String NS = "default";
  /** Kiali's label set G (graph/telemetry/istio/istio.go). */
  private static final String G = "source_cluster,source_workload_namespace,source_workload,"
      + "source_canonical_service,source_canonical_revision,destination_cluster,"
      + "destination_service_namespace,destination_service,destination_service_name,"
      + "destination_workload_namespace,destination_workload,destination_canonical_service,"
      + "destination_canonical_revision,request_protocol,response_code,grpc_response_status,"
      + "response_flags";

  private RealZipkin zipkin;
  private RealPrometheus prometheus;
  private LocalBookinfo bookinfo;

  @BeforeAll
  void start() throws Exception {
    zipkin = RealZipkin.start();
    Path meshConfig = Files.createTempFile("mesh-config", ".yaml");
    Files.writeString(meshConfig, """
        extensionProviders:
        - name: zipkin
          zipkin:
            service: 127.0.0.1
            port: %d
        defaultProviders:
          tracing: [zipkin]
        """.formatted(zipkin.url.getPort()));
    bookinfo = LocalBookinfo.start(0, b -> b.meshConfig(meshConfig));
    assertThat(bookinfo.ctl("apply", "-f",
        LocalBookinfo.TELEMETRY.resolve("mesh-default.yaml").toString()).code()).isZero();
    bookinfo.apply("virtual-service-reviews-v3.yaml");
    List<String> targets = java.util.Arrays.stream(Workload.values())
        .map(w -> bookinfo.workload(w).mesh().adminAddress().orElseThrow())
        .map(a -> "127.0.0.1:" + a.getPort()).toList();
    prometheus = RealPrometheus.start(targets);
  }

  @AfterAll
  void stop() {
    for (AutoCloseable c : new AutoCloseable[] {bookinfo, prometheus, zipkin}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception ignored) {
        // the others still close
      }
    }
  }

  @Test
  void kialisGraphQueries_againstRealPrometheus_returnBookinfosEdges() {
    await().atMost(Duration.ofSeconds(30)).until(prometheus::allTargetsUp);
    for (int i = 0; i < 20; i++) {
      assertThat(bookinfo.page("").statusCode()).isEqualTo(200);
    }

    String outgoing = "sum(rate(istio_requests_total{reporter=\"source\","
        + "source_workload_namespace=\"" + NS + "\"}[60s])) by (" + G + ") > 0";
    String incoming = "sum(rate(istio_requests_total{reporter=\"destination\","
        + "destination_workload_namespace=\"" + NS + "\"}[60s])) by (" + G + ") > 0";
    Set<String> expected = Set.of(
        "productpage-v1 -> details-v1 http 200 ",
        "productpage-v1 -> reviews-v3 grpc 200 0",
        "reviews-v3 -> ratings-v1 http 200 ");
    // Traffic keeps flowing while Prometheus is asked, as when Kiali looks at a live mesh: a
    // series first scraped after all its requests would hold one value, and rate() over it is 0.
    await("Kiali's outgoing and incoming queries").atMost(Duration.ofSeconds(40))
        .pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
          bookinfo.page("");
          assertThat(edges(prometheus.query(outgoing))).as("outgoing").containsAll(expected);
          assertThat(edges(prometheus.query(incoming))).as("incoming").containsAll(expected);
        });

    // every series carries Istio's workload labels, as Kiali groups them
    for (RealPrometheus.Series s : prometheus.query(incoming)) {
      assertThat(s.labels()).containsEntry("destination_service_namespace", NS)
          .containsEntry("destination_cluster", "Kubernetes")
          .containsEntry("response_flags", "-");
      assertThat(s.label("destination_canonical_service"))
          .isEqualTo(s.label("destination_workload").replaceAll("-v\\d$", ""));
    }
    // Kiali's mTLS appender: the destination reports mutual_tls with both SPIFFE IDs
    List<RealPrometheus.Series> mtls = prometheus.query("sum(rate(istio_requests_total{"
        + "reporter=\"destination\",destination_workload=\"ratings-v1\"}[60s])) by (" + G
        + ",source_principal,destination_principal,connection_security_policy) > 0");
    assertThat(mtls).isNotEmpty().allSatisfy(s -> {
      assertThat(s.label("connection_security_policy")).isEqualTo("mutual_tls");
      assertThat(s.label("source_principal"))
          .isEqualTo("spiffe://cluster.local/ns/default/sa/bookinfo-reviews");
      assertThat(s.label("destination_principal"))
          .isEqualTo("spiffe://cluster.local/ns/default/sa/bookinfo-ratings");
    });
    // Kiali's response-time appender: p95 from Envoy's buckets
    List<RealPrometheus.Series> p95 = prometheus.query("histogram_quantile(0.95, sum(rate("
        + "istio_request_duration_milliseconds_bucket{reporter=\"destination\","
        + "destination_service_namespace=\"" + NS + "\"}[60s])) by (le,source_workload,"
        + "destination_workload)) > 0");
    assertThat(p95).extracting(s -> s.label("destination_workload"))
        .contains("details-v1", "reviews-v3", "ratings-v1");
  }

  @Test
  void zipkin_holdsOneTracePerPageLoad_parentedHopByHop() {
    String requestId = UUID.randomUUID().toString();
    assertThat(bookinfo.get("/productpage", Map.of("x-request-id", requestId)).statusCode())
        .isEqualTo(200);

    JsonArray trace = await("the page load's trace in Zipkin").atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(500)).until(() -> pageTrace(requestId),
            t -> t != null && services(t).containsAll(
                Set.of("productpage.default", "details.default", "reviews.default",
                    "ratings.default")) && everyParentArrived(t));

    Map<String, JsonObject> byId = new HashMap<>();
    trace.forEach(e -> byId.put(e.getAsJsonObject().get("id").getAsString(),
        e.getAsJsonObject()));
    JsonObject ratingsServer = only(trace, "ratings.default", "SERVER");
    JsonObject reviewsAttempt = parent(byId, ratingsServer);
    assertThat(service(reviewsAttempt)).isEqualTo("reviews.default");
    assertThat(kind(reviewsAttempt)).isEqualTo("CLIENT");
    JsonObject reviewsCall = parent(byId, reviewsAttempt);
    assertThat(service(reviewsCall)).isEqualTo("reviews.default");
    JsonObject reviewsServer = parent(byId, reviewsCall);
    assertThat(kind(reviewsServer)).isEqualTo("SERVER");
    assertThat(service(reviewsServer)).isEqualTo("reviews.default");
    JsonObject productpageAttempt = parent(byId, reviewsServer);
    assertThat(kind(productpageAttempt)).isEqualTo("CLIENT");
    assertThat(service(productpageAttempt)).isEqualTo("productpage.default");
    JsonObject productpageCall = parent(byId, productpageAttempt);
    JsonObject productpageServer = parent(byId, productpageCall);
    assertThat(kind(productpageServer)).isEqualTo("SERVER");
    assertThat(productpageServer.has("parentId")).as("the page load starts the trace").isFalse();
    assertThat(tag(productpageServer, "guid:x-request-id")).isEqualTo(requestId);
    assertThat(tag(ratingsServer, "guid:x-request-id")).isEqualTo(requestId);
    assertThat(reviewsServer.get("name").getAsString()).containsIgnoringCase("reviews");
  }

  /** The trace whose productpage server span carries {@code requestId}, or null. */
  private JsonArray pageTrace(String requestId) {
    JsonArray found = null;
    for (JsonElement t : zipkin.traces("serviceName=productpage.default")) {
      for (JsonElement span : t.getAsJsonArray()) {
        if (requestId.equals(tag(span.getAsJsonObject(), "guid:x-request-id"))) {
          assertThat(found).as("one trace per page load").isNull();
          found = t.getAsJsonArray();
          break;
        }
      }
    }
    return found;
  }

  private static Set<String> edges(List<RealPrometheus.Series> series) {
    return series.stream().map(s -> s.label("source_workload") + " -> "
        + s.label("destination_workload") + " " + s.label("request_protocol") + " "
        + s.label("response_code") + " "
        // Prometheus drops empty labels: HTTP series have no grpc_response_status
        + s.labels().getOrDefault("grpc_response_status", ""))
        .collect(Collectors.toCollection(HashSet::new));
  }

  /**
   * Whether every span's parent is in the trace. Each process reports its spans in its own
   * batches, and a gRPC attempt span ends when the transport closes its stream, which may be
   * after the page has been served; so the trace can be seen in Zipkin before all of it is.
   */
  private static boolean everyParentArrived(JsonArray trace) {
    Set<String> ids = new HashSet<>();
    trace.forEach(s -> ids.add(s.getAsJsonObject().get("id").getAsString()));
    for (JsonElement s : trace) {
      JsonObject span = s.getAsJsonObject();
      if (span.has("parentId") && !ids.contains(span.get("parentId").getAsString())) {
        return false;
      }
    }
    return true;
  }

  private static Set<String> services(JsonArray trace) {
    Set<String> names = new HashSet<>();
    trace.forEach(s -> names.add(service(s.getAsJsonObject())));
    return names;
  }

  private static JsonObject only(JsonArray trace, String service, String kind) {
    List<JsonObject> matches = new java.util.ArrayList<>();
    trace.forEach(s -> {
      JsonObject o = s.getAsJsonObject();
      if (service.equals(service(o)) && kind.equals(kind(o))) {
        matches.add(o);
      }
    });
    assertThat(matches).as(service + " " + kind + " spans in " + trace).hasSize(1);
    return matches.get(0);
  }

  private static JsonObject parent(Map<String, JsonObject> byId, JsonObject span) {
    assertThat(span.has("parentId")).as("parent of " + span).isTrue();
    JsonObject p = byId.get(span.get("parentId").getAsString());
    assertThat(p).as("parent span of " + span + " in the trace").isNotNull();
    return p;
  }

  private static String service(JsonObject span) {
    return span.has("localEndpoint")
        ? span.getAsJsonObject("localEndpoint").get("serviceName").getAsString() : "";
  }

  private static String kind(JsonObject span) {
    return span.has("kind") ? span.get("kind").getAsString() : "";
  }

  private static String tag(JsonObject span, String key) {
    JsonObject tags = span.getAsJsonObject("tags");
    return tags == null || !tags.has(key) ? null : tags.get(key).getAsString();
  }
}
