package io.inboard.mesh.http;

import static io.inboard.mesh.http.TestCluster.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.inboard.mesh.api.context.RequestContext;
import io.inboard.mesh.api.context.Scope;
import io.inboard.mesh.api.internal.InternalMesh;
import io.inboard.mesh.api.internal.telemetry.MeshHealthMetrics.Gauge;
import io.inboard.mesh.api.internal.telemetry.MeshTelemetry;
import io.inboard.mesh.api.internal.telemetry.RequestReport;
import io.inboard.mesh.http.internal.telemetry.RecordingTelemetry;
import io.inboard.mesh.testing.HttpBackendExtension;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Reports of the HTTP client in Kubernetes mode (no control plane): clusters named as Istio
 * names them, and the flags of failures found before any endpoint is tried.
 */
class KubernetesCallReportsTest {

  private static final String CLUSTER = "outbound|9080||reviews.default.svc.cluster.local";

  @RegisterExtension
  final TestCluster fx = new TestCluster().service("reviews");

  @Test
  void answeredCall_namesItsClusterAsIstio_whoseGaugesLiveAsLongAsTheClient() throws Exception {
    RecordingTelemetry telemetry = RecordingTelemetry.installOn(fx.mesh());
    HttpBackendExtension pod = fx.pod("reviews", "reviews-v1-0", "127.0.0.2");
    MeshHttpClient http = MeshHttpClient.of(fx.mesh());

    assertThat(http.send(get("http://reviews:9080/r/1"), BodyHandlers.ofString()).statusCode())
        .isEqualTo(200);

    await().atMost(Duration.ofSeconds(10)).until(() -> telemetry.reports.size() == 1);
    RequestReport r = telemetry.reports.get(0);
    assertThat(r.destinationService()).isEqualTo("reviews.default.svc.cluster.local");
    assertThat(r.details().upstreamCluster()).isEqualTo(CLUSTER);
    assertThat(r.details().upstreamHost()).isEqualTo("127.0.0.2:" + pod.port());
    assertThat(r.details().authority()).isEqualTo("reviews:9080");
    assertThat(r.details().path()).isEqualTo("/r/1");
    assertThat(r.details().routeName()).isEmpty();
    assertThat(telemetry.gauge(Gauge.ACTIVE_REQUESTS, CLUSTER)).hasValue(0L);
    assertThat(telemetry.gauge(Gauge.CIRCUIT_OPEN, CLUSTER)).hasValue(0L);
    assertThat(telemetry.gauge(Gauge.EJECTIONS_ACTIVE, CLUSTER)).hasValue(0L);

    http.close();

    assertThat(telemetry.gauge(Gauge.ACTIVE_REQUESTS, CLUSTER)).isEmpty();
  }

  @Test
  void withoutTelemetry_theContextsTraceHeadersGoOnUnchanged() throws Exception {
    InternalMesh.replaceTelemetry(fx.mesh(), MeshTelemetry.NONE);
    HttpBackendExtension pod = fx.pod("reviews", "reviews-v1-0", "127.0.0.2");
    MeshHttpClient http = MeshHttpClient.of(fx.mesh());
    String traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    try (Scope s = new RequestContext(Map.of("traceparent", traceparent,
        "x-request-id", "r-1")).makeCurrent()) {
      http.send(get("http://reviews:9080/"), BodyHandlers.ofString());
    }

    assertThat(pod.lastRequest().orElseThrow().header("traceparent")).hasValue(traceparent);
  }

  @Test
  void serviceThatDoesNotExist_reportsNc503() {
    RecordingTelemetry telemetry = RecordingTelemetry.installOn(fx.mesh());
    MeshHttpClient http = MeshHttpClient.of(fx.mesh());

    assertThatThrownBy(() -> http.send(get("http://ratings:9080/"), BodyHandlers.ofString()));

    await().atMost(Duration.ofSeconds(10)).until(() -> telemetry.reports.size() == 1);
    RequestReport r = telemetry.reports.get(0);
    assertThat(r.destinationService()).isEqualTo("ratings.default.svc.cluster.local");
    assertThat(r.responseCode()).isEqualTo(503);
    assertThat(r.responseFlags()).isEqualTo("NC");
    assertThat(r.details().responseCodeDetails()).isEqualTo("cluster_not_found");
    assertThat(r.details().attempts()).isZero();
  }

  @Test
  void serviceWithoutReadyEndpoints_reportsUh503() throws Exception {
    RecordingTelemetry telemetry = RecordingTelemetry.installOn(fx.mesh());
    fx.pod("reviews", "reviews-v1-0", "127.0.0.2");
    MeshHttpClient http = MeshHttpClient.of(fx.mesh());
    assertThat(http.send(get("http://reviews:9080/"), BodyHandlers.ofString()).statusCode())
        .isEqualTo(200);
    fx.setReady("reviews-v1-0", false);
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
      try {
        http.send(get("http://reviews:9080/"), BodyHandlers.ofString());
        return false;
      } catch (Exception e) {
        return true;
      }
    });

    RequestReport r = telemetry.reports.get(telemetry.reports.size() - 1);
    await().atMost(Duration.ofSeconds(10)).until(() ->
        telemetry.reports.get(telemetry.reports.size() - 1).responseCode() == 503);
    r = telemetry.reports.get(telemetry.reports.size() - 1);
    assertThat(r.responseFlags()).isEqualTo("UH");
    assertThat(r.details().responseCodeDetails()).isEqualTo("no_healthy_upstream");
    assertThat(r.details().upstreamCluster()).isEqualTo(CLUSTER);
  }
}
