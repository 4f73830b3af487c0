package io.inboard.mesh.telemetry.internal.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.inboard.mesh.api.inbound.InboundRequest.Protocol;
import io.inboard.mesh.api.internal.telemetry.PeerIdentity;
import io.inboard.mesh.api.internal.telemetry.RequestReport;
import io.inboard.mesh.api.internal.telemetry.RequestReport.Reporter;
import io.inboard.mesh.telemetry.AdminMesh;
import io.inboard.mesh.telemetry.IstioMetrics;
import io.inboard.mesh.telemetry.PrometheusText;
import io.inboard.mesh.telemetry.PrometheusText.Sample;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class IstioRequestRecorderTest {

  @RegisterExtension
  final AdminMesh admin = new AdminMesh();

  private static final PeerIdentity PRODUCTPAGE = new PeerIdentity("productpage-v1", "default",
      "productpage", "v1", "productpage", "v1", "Kubernetes");

  @Test
  void destinationReport_carriesEveryIstioLabelWithIstiosValues() {
    PeerIdentity self = PeerIdentity.of(admin.mesh());
    record(RequestReport.builder(Reporter.DESTINATION, Protocol.GRPC)
        .source(PRODUCTPAGE).destination(self)
        .destinationService("reviews.default.svc.cluster.local").responseCode(200)
        .grpcStatus("0").durationNanos(3_000_000L)
        // the namespace in the peer's certificate wins over its metadata, as Istio's
        .security("spiffe://cluster.local/ns/bookinfo/sa/productpage",
            "spiffe://cluster.local/ns/default/sa/reviews", true)
        .build());

    Sample s = only(admin.scrape().samples(IstioMetrics.REQUESTS_TOTAL));

    assertThat(s.labels()).containsOnlyKeys(IstioMetrics.LABELS);
    assertThat(s.labels()).isEqualTo(labels(
        "reporter", "destination",
        "source_workload", "productpage-v1",
        "source_canonical_service", "productpage",
        "source_canonical_revision", "v1",
        "source_workload_namespace", "bookinfo",
        "source_principal", "spiffe://cluster.local/ns/bookinfo/sa/productpage",
        "source_app", "productpage",
        "source_version", "v1",
        "source_cluster", "Kubernetes",
        "destination_workload", "reviews-v2",
        "destination_workload_namespace", "default",
        "destination_principal", "spiffe://cluster.local/ns/default/sa/reviews",
        "destination_app", "reviews",
        "destination_version", "v2",
        "destination_service", "reviews.default.svc.cluster.local",
        "destination_service_name", "reviews",
        "destination_service_namespace", "default",
        "destination_canonical_service", "reviews",
        "destination_canonical_revision", "v2",
        "destination_cluster", self.cluster(),
        "request_protocol", "grpc",
        "response_code", "200",
        "grpc_response_status", "0",
        "response_flags", "-",
        "connection_security_policy", "mutual_tls"));
    assertThat(s.value()).isEqualTo(1.0);
  }

  @Test
  void sourceReport_unknownPeerReadsUnknownLatestAndPolicyUnknown() {
    record(RequestReport.builder(Reporter.SOURCE, Protocol.HTTP)
        .source(PeerIdentity.of(admin.mesh())).destination(PeerIdentity.UNKNOWN)
        .destinationService("ratings.prod.svc.cluster.local").responseCode(0)
        .responseFlags("UF,URX").security(null, null, true).build());

    Map<String, String> l = only(admin.scrape().samples(IstioMetrics.REQUESTS_TOTAL)).labels();

    assertThat(l).containsOnlyKeys(IstioMetrics.LABELS).containsAllEntriesOf(labels(
        "reporter", "source",
        "source_workload", "reviews-v2",
        "source_principal", "unknown",
        "destination_workload", "unknown",
        "destination_workload_namespace", "unknown",
        "destination_canonical_service", "unknown",
        "destination_canonical_revision", "latest",
        "destination_cluster", "unknown",
        "destination_service", "ratings.prod.svc.cluster.local",
        "destination_service_name", "ratings",
        "destination_service_namespace", "prod",
        "request_protocol", "http",
        "response_code", "0",
        "grpc_response_status", "",
        "response_flags", "UF,URX",
        "connection_security_policy", "unknown"));
  }

  @Test
  void destinationReportWithoutService_fallsBackToCanonicalServiceAsIstio() {
    record(RequestReport.builder(Reporter.DESTINATION, Protocol.HTTP)
        .destination(PeerIdentity.of(admin.mesh())).responseCode(404).build());

    Map<String, String> l = only(admin.scrape().samples(IstioMetrics.REQUESTS_TOTAL)).labels();

    assertThat(l).containsAllEntriesOf(labels("destination_service", "reviews",
        "destination_service_name", "reviews", "destination_service_namespace", "default",
        "source_workload", "unknown", "source_canonical_revision", "latest",
        "connection_security_policy", "none"));
  }

  @Test
  void scrape_namesAreIstiosExactly_withoutExporterSuffixes() {
    record(grpcReport().requestBytes(10).responseBytes(20).requestMessages(1)
        .responseMessages(1).build());

    PrometheusText scrape = admin.scrape();

    assertThat(scrape.types()).containsAllEntriesOf(Map.of(
        "istio_requests_total", "counter",
        "istio_request_duration_milliseconds", "histogram",
        "istio_request_bytes", "histogram",
        "istio_response_bytes", "histogram",
        "istio_request_messages_total", "counter",
        "istio_response_messages_total", "counter"));
    assertThat(scrape.names().stream().filter(n -> n.startsWith("istio_")))
        .containsExactlyInAnyOrder("istio_requests_total",
            "istio_request_duration_milliseconds_bucket",
            "istio_request_duration_milliseconds_sum",
            "istio_request_duration_milliseconds_count",
            "istio_request_bytes_bucket", "istio_request_bytes_sum", "istio_request_bytes_count",
            "istio_response_bytes_bucket", "istio_response_bytes_sum",
            "istio_response_bytes_count", "istio_request_messages_total",
            "istio_response_messages_total");
  }

  @Test
  void everyHistogram_usesEnvoysDefaultBuckets_bytesIncluded() {
    record(grpcReport().durationNanos(7_000_000L).requestBytes(700).responseBytes(0).build());

    PrometheusText scrape = admin.scrape();

    List<String> expected = new java.util.ArrayList<>(List.of("0.5", "1", "5", "10", "25",
        "50", "100", "250", "500", "1000", "2500", "5000", "10000", "30000", "60000", "300000",
        "600000", "1800000", "3600000"));
    expected.add("+Inf");
    for (String h : List.of("istio_request_duration_milliseconds", "istio_request_bytes",
        "istio_response_bytes")) {
      assertThat(scrape.samples(h + "_bucket").stream().map(s -> le(s)))
          .as(h).containsExactlyElementsOf(expected);
    }
    assertThat(bucket(scrape, "istio_request_bytes", "500")).isEqualTo(0.0);
    assertThat(bucket(scrape, "istio_request_bytes", "1000")).isEqualTo(1.0);
    assertThat(bucket(scrape, "istio_response_bytes", "0.5")).isEqualTo(1.0);
    assertThat(bucket(scrape, "istio_request_duration_milliseconds", "5")).isEqualTo(0.0);
    assertThat(bucket(scrape, "istio_request_duration_milliseconds", "10")).isEqualTo(1.0);
  }

  @Test
  void grpcMessageCounts_areAdded_httpReportsAddNoMessageSeries() {
    record(grpcReport().requestMessages(3).responseMessages(5).build());
    record(grpcReport().requestMessages(1).responseMessages(0).build());
    record(RequestReport.builder(Reporter.DESTINATION, Protocol.HTTP).responseCode(200).build());

    PrometheusText scrape = admin.scrape();

    assertThat(only(scrape.samples(IstioMetrics.REQUEST_MESSAGES_TOTAL)).value()).isEqualTo(4.0);
    assertThat(only(scrape.samples(IstioMetrics.RESPONSE_MESSAGES_TOTAL)).value())
        .isEqualTo(5.0);
    assertThat(scrape.samples(IstioMetrics.REQUESTS_TOTAL)).hasSize(2);
  }

  @Test
  void labelSets_areCachedPerKey_andAPolicyChangeDropsThem() {
    IstioRequestRecorder recorder = (IstioRequestRecorder) admin.telemetry().metrics();
    for (int i = 0; i < 50; i++) {
      record(grpcReport().durationNanos(i).build());
    }
    assertThat(recorder.cachedLabelSets(Reporter.DESTINATION)).isEqualTo(1);

    admin.telemetry().configure(Policies.serverMetrics(java.util.Set.of(), Map.of()));
    assertThat(recorder.cachedLabelSets(Reporter.DESTINATION)).isZero();

    record(grpcReport().build());
    assertThat(recorder.cachedLabelSets(Reporter.DESTINATION)).isEqualTo(1);
  }

  @Test
  void cacheHit_returnsTheSameLabelSets() {
    SideMetrics side = new SideMetrics(Policies.serverMetrics(java.util.Set.of(), Map.of())
        .server().metrics());

    var first = side.labels(grpcReport().build());
    var second = side.labels(grpcReport().durationNanos(99).build());

    assertThat(second).isSameAs(first);
    // metrics without overrides share one label set
    assertThat(first[IstioMetric.DURATION.ordinal()])
        .isSameAs(first[IstioMetric.REQUESTS.ordinal()]);
  }

  private RequestReport.Builder grpcReport() {
    return RequestReport.builder(Reporter.DESTINATION, Protocol.GRPC).source(PRODUCTPAGE)
        .destination(PeerIdentity.of(admin.mesh()))
        .destinationService("reviews.default.svc.cluster.local").responseCode(200)
        .grpcStatus("0");
  }

  private void record(RequestReport r) {
    admin.telemetry().metrics().record(r);
  }

  private static String le(Sample s) {
    String le = s.labels().get("le");
    return le.endsWith(".0") ? le.substring(0, le.length() - 2) : le;
  }

  private static double bucket(PrometheusText scrape, String histogram, String le) {
    return scrape.samples(histogram + "_bucket").stream().filter(s -> le(s).equals(le))
        .findFirst().orElseThrow().value();
  }

  static Sample only(List<Sample> samples) {
    assertThat(samples).hasSize(1);
    return samples.get(0);
  }

  static Map<String, String> labels(String... kv) {
    Map<String, String> m = new java.util.LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }
}
