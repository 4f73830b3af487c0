package io.inboard.mesh.telemetry.internal.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.inboard.mesh.api.internal.InternalMesh;
import io.inboard.mesh.api.internal.telemetry.MeshHealthMetrics;
import io.inboard.mesh.api.internal.telemetry.MeshHealthMetrics.Counter;
import io.inboard.mesh.api.internal.telemetry.MeshHealthMetrics.Gauge;
import io.inboard.mesh.telemetry.AdminMesh;
import io.inboard.mesh.telemetry.EnvoyStats;
import io.inboard.mesh.telemetry.PrometheusText;
import io.inboard.mesh.telemetry.PrometheusText.Sample;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class HealthMetricsTest {

  static final String REVIEWS_V1 = "outbound|9080|v1|reviews.default.svc.cluster.local";
  static final String RATINGS = "outbound|9080||ratings.default.svc.cluster.local";

  @RegisterExtension
  final AdminMesh admin = new AdminMesh();

  @Test
  void counters_areScrapedUnderEnvoysExactNamesPerCluster() {
    MeshHealthMetrics health = admin.telemetry().health();
    health.count(Counter.RETRY, REVIEWS_V1);
    health.count(Counter.RETRY, REVIEWS_V1);
    health.count(Counter.RETRY, RATINGS);
    health.count(Counter.RETRY_LIMIT_EXCEEDED, RATINGS);
    health.count(Counter.OVERFLOW, RATINGS);
    health.count(Counter.EJECTION, REVIEWS_V1);
    health.count(Counter.TIMEOUT, REVIEWS_V1);

    PrometheusText scrape = admin.scrape();

    assertThat(scrape.types()).containsAllEntriesOf(Map.of(
        EnvoyStats.UPSTREAM_RQ_RETRY, "counter",
        EnvoyStats.UPSTREAM_RQ_RETRY_LIMIT_EXCEEDED, "counter",
        EnvoyStats.UPSTREAM_RQ_PENDING_OVERFLOW, "counter",
        EnvoyStats.OUTLIER_DETECTION_EJECTIONS_ENFORCED_TOTAL, "counter",
        EnvoyStats.UPSTREAM_RQ_TIMEOUT, "counter"));
    assertThat(values(scrape, "envoy_cluster_upstream_rq_retry"))
        .isEqualTo(Map.of(REVIEWS_V1, 2.0, RATINGS, 1.0));
    assertThat(values(scrape, "envoy_cluster_upstream_rq_retry_limit_exceeded"))
        .isEqualTo(Map.of(RATINGS, 1.0));
    assertThat(values(scrape, "envoy_cluster_upstream_rq_pending_overflow"))
        .isEqualTo(Map.of(RATINGS, 1.0));
    assertThat(values(scrape, "envoy_cluster_outlier_detection_ejections_enforced_total"))
        .isEqualTo(Map.of(REVIEWS_V1, 1.0));
    assertThat(values(scrape, "envoy_cluster_upstream_rq_timeout"))
        .isEqualTo(Map.of(REVIEWS_V1, 1.0));
    assertThat(scrape.names()).noneMatch(n -> n.startsWith("envoy_cluster_upstream_rq_retry_total"));
  }

  @Test
  void gauges_areReadAtEachScrape_replacedByALaterRegistration_andGoneWhenClosed()
      throws Exception {
    MeshHealthMetrics health = admin.telemetry().health();
    AtomicLong active = new AtomicLong(3);
    AutoCloseable first = health.gauge(Gauge.ACTIVE_REQUESTS, REVIEWS_V1, active::get);
    health.gauge(Gauge.CIRCUIT_OPEN, REVIEWS_V1, () -> 1);
    health.gauge(Gauge.EJECTIONS_ACTIVE, RATINGS, () -> 2);

    PrometheusText scrape = admin.scrape();
    assertThat(scrape.types()).containsAllEntriesOf(Map.of(
        EnvoyStats.UPSTREAM_RQ_ACTIVE, "gauge",
        EnvoyStats.CIRCUIT_BREAKERS_DEFAULT_RQ_OPEN, "gauge",
        EnvoyStats.OUTLIER_DETECTION_EJECTIONS_ACTIVE, "gauge"));
    assertThat(values(scrape, EnvoyStats.UPSTREAM_RQ_ACTIVE)).isEqualTo(Map.of(REVIEWS_V1, 3.0));
    assertThat(values(scrape, EnvoyStats.CIRCUIT_BREAKERS_DEFAULT_RQ_OPEN))
        .isEqualTo(Map.of(REVIEWS_V1, 1.0));
    assertThat(values(scrape, EnvoyStats.OUTLIER_DETECTION_EJECTIONS_ACTIVE))
        .isEqualTo(Map.of(RATINGS, 2.0));

    active.set(5);
    assertThat(values(admin.scrape(), EnvoyStats.UPSTREAM_RQ_ACTIVE))
        .isEqualTo(Map.of(REVIEWS_V1, 5.0));

    AutoCloseable second = health.gauge(Gauge.ACTIVE_REQUESTS, REVIEWS_V1, () -> 9);
    first.close();
    assertThat(values(admin.scrape(), EnvoyStats.UPSTREAM_RQ_ACTIVE))
        .isEqualTo(Map.of(REVIEWS_V1, 9.0));

    second.close();
    assertThat(admin.scrape().samples(EnvoyStats.UPSTREAM_RQ_ACTIVE)).isEmpty();
  }

  @Test
  void gaugeThatThrows_isLeftOut_otherSeriesStillShow() {
    MeshHealthMetrics health = admin.telemetry().health();
    health.gauge(Gauge.ACTIVE_REQUESTS, REVIEWS_V1, () -> {
      throw new IllegalStateException("closed");
    });
    health.gauge(Gauge.ACTIVE_REQUESTS, RATINGS, () -> 4);

    assertThat(values(admin.scrape(), EnvoyStats.UPSTREAM_RQ_ACTIVE))
        .isEqualTo(Map.of(RATINGS, 4.0));
  }

  @Test
  void clusterNames_areEscapedAsPrometheusLabelValues() {
    String odd = "outbound|80||odd\"name\\with\nbreaks";
    admin.telemetry().health().count(Counter.RETRY, odd);

    assertThat(values(admin.scrape(), EnvoyStats.UPSTREAM_RQ_RETRY)).isEqualTo(Map.of(odd, 1.0));
  }

  @Test
  void xdsResources_areCountedPerTypeAndStateFromTheConfigDumpAtScrapeTime() {
    Map<String, Object> grpc = new LinkedHashMap<>();
    grpc.put(XdsTypes.LISTENER, Map.of(
        "reviews.default.svc.cluster.local:9080", entry("ACKED"),
        "ratings.default.svc.cluster.local:9080", entry("ACKED"),
        "broken.default.svc.cluster.local:9080", entry("NACKED")));
    grpc.put(XdsTypes.CLUSTER, Map.of(REVIEWS_V1, entry("ACKED"), RATINGS, entry("REQUESTED"),
        "outbound|9080||gone.default.svc.cluster.local", entry("DOES_NOT_EXIST")));
    grpc.put(XdsTypes.ENDPOINT, Map.of(REVIEWS_V1, entry("ACKED")));
    // the HTTP plane's client holds one of the same listeners in the same state: counted once
    Map<String, Object> http = Map.of(XdsTypes.LISTENER,
        Map.of("reviews.default.svc.cluster.local:9080", entry("ACKED")),
        XdsTypes.ROUTE, Map.of("9080", entry("ACKED")));
    InternalMesh.configDumpSection(admin.mesh(), "xds_grpc", () -> grpc);
    InternalMesh.configDumpSection(admin.mesh(), "xds_http", () -> http);
    InternalMesh.configDumpSection(admin.mesh(), "not_xds", () -> Map.of("acked", List.of("x")));
    InternalMesh.configDumpSection(admin.mesh(), "failing", () -> {
      throw new IllegalStateException("down");
    });

    PrometheusText scrape = admin.scrape();

    assertThat(scrape.types()).containsEntry(EnvoyStats.XDS_RESOURCES, "gauge");
    assertThat(xds(scrape)).isEqualTo(Map.ofEntries(
        Map.entry("listener/acked", 2.0), Map.entry("listener/nacked", 1.0),
        Map.entry("listener/requested", 0.0), Map.entry("listener/does_not_exist", 0.0),
        Map.entry("cluster/acked", 1.0), Map.entry("cluster/nacked", 0.0),
        Map.entry("cluster/requested", 1.0), Map.entry("cluster/does_not_exist", 1.0),
        Map.entry("endpoint/acked", 1.0), Map.entry("endpoint/nacked", 0.0),
        Map.entry("endpoint/requested", 0.0), Map.entry("endpoint/does_not_exist", 0.0),
        Map.entry("route/acked", 1.0), Map.entry("route/nacked", 0.0),
        Map.entry("route/requested", 0.0), Map.entry("route/does_not_exist", 0.0)));

    // the next scrape reads the sections again
    grpc.put(XdsTypes.LISTENER, Map.of("broken.default.svc.cluster.local:9080",
        entry("ACKED")));
    assertThat(xds(admin.scrape())).containsEntry("listener/acked", 2.0)
        .containsEntry("listener/nacked", 0.0);
  }

  @Test
  void controlPlaneConnectedState_isOneWhileEveryStreamIsUp_zeroWhenOneIsDown_absentWithoutXds() {
    assertThat(admin.scrape().samples(EnvoyStats.CONTROL_PLANE_CONNECTED_STATE)).isEmpty();

    Map<String, Object> servers = new LinkedHashMap<>(Map.of("127.0.0.1:15010", true));
    InternalMesh.configDumpSection(admin.mesh(), "xds_grpc",
        () -> Map.of(XdsResourceGauges.CONNECTIONS, servers));
    InternalMesh.configDumpSection(admin.mesh(), "xds_http",
        () -> Map.of(XdsResourceGauges.CONNECTIONS, Map.of("127.0.0.1:15010", true)));
    assertThat(admin.scrape().samples(EnvoyStats.CONTROL_PLANE_CONNECTED_STATE))
        .extracting(Sample::value).containsExactly(1.0);

    servers.put("127.0.0.1:15010", false);
    assertThat(admin.scrape().samples(EnvoyStats.CONTROL_PLANE_CONNECTED_STATE))
        .extracting(Sample::value).containsExactly(0.0);
  }

  @Test
  void shortType_namesEnvoysTypesAndOthersByMessage() {
    assertThat(XdsResourceGauges.shortType(XdsTypes.LISTENER)).isEqualTo("listener");
    assertThat(XdsResourceGauges.shortType(XdsTypes.ROUTE)).isEqualTo("route");
    assertThat(XdsResourceGauges.shortType(XdsTypes.CLUSTER)).isEqualTo("cluster");
    assertThat(XdsResourceGauges.shortType(XdsTypes.ENDPOINT)).isEqualTo("endpoint");
    assertThat(XdsResourceGauges.shortType(
        "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret"))
        .isEqualTo("secret");
  }

  private static Map<String, Object> entry(String status) {
    return Map.of("status", status, "version", "1");
  }

  private static Map<String, Double> values(PrometheusText scrape, String name) {
    Map<String, Double> m = new LinkedHashMap<>();
    for (Sample s : scrape.samples(name)) {
      assertThat(s.labels()).containsOnlyKeys(EnvoyStats.CLUSTER_NAME_LABEL);
      m.put(s.labels().get(EnvoyStats.CLUSTER_NAME_LABEL), s.value());
    }
    return m;
  }

  private static Map<String, Double> xds(PrometheusText scrape) {
    Map<String, Double> m = new LinkedHashMap<>();
    for (Sample s : scrape.samples(EnvoyStats.XDS_RESOURCES)) {
      assertThat(s.labels()).containsOnlyKeys("type", "state");
      m.put(s.labels().get("type") + "/" + s.labels().get("state"), s.value());
    }
    return m;
  }

  /** The type URLs grpc-xds reports, as {@code XdsResourceDump} keys them. */
  static final class XdsTypes {
    static final String LISTENER = "type.googleapis.com/envoy.config.listener.v3.Listener";
    static final String ROUTE = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration";
    static final String CLUSTER = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
    static final String ENDPOINT =
        "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment";
  }
}
