package io.inboard.mesh.telemetry.internal.metrics;

import static io.inboard.mesh.telemetry.internal.metrics.IstioRequestRecorderTest.labels;
import static io.inboard.mesh.telemetry.internal.metrics.IstioRequestRecorderTest.only;
import static org.assertj.core.api.Assertions.assertThat;

import io.inboard.mesh.api.inbound.InboundRequest.Protocol;
import io.inboard.mesh.api.internal.telemetry.PeerIdentity;
import io.inboard.mesh.api.internal.telemetry.RequestDetails;
import io.inboard.mesh.api.internal.telemetry.RequestReport;
import io.inboard.mesh.api.internal.telemetry.RequestReport.Reporter;
import io.inboard.mesh.api.internal.telemetry.policy.MetricRules.TagOverride;
import io.inboard.mesh.api.internal.telemetry.policy.MetricRules.TagValue;
import io.inboard.mesh.api.internal.telemetry.policy.TelemetryPolicy;
import io.inboard.mesh.telemetry.AdminMesh;
import io.inboard.mesh.telemetry.IstioMetrics;
import io.inboard.mesh.telemetry.PrometheusText;
import io.inboard.mesh.telemetry.PrometheusText.Sample;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Telemetry API's metric rules, put in force with {@code MeshTelemetry.configure}. */
class MetricPolicyTest {

  @RegisterExtension
  final AdminMesh admin = new AdminMesh();

  @Test
  void disabledMetric_isNotRecordedOnThatSide_andReturnsWhenThePolicyChanges() {
    admin.telemetry().configure(Policies.serverMetrics(
        Set.of(IstioMetrics.REQUESTS_TOTAL, IstioMetrics.REQUEST_BYTES), Map.of()));
    record(report(Reporter.DESTINATION).requestBytes(5).build());
    record(report(Reporter.SOURCE).requestBytes(5).build());

    PrometheusText scrape = admin.scrape();
    assertThat(scrape.samples(IstioMetrics.REQUESTS_TOTAL)).extracting(s -> s.labels()
        .get("reporter")).containsExactly("source");
    assertThat(scrape.samples("istio_request_bytes_count")).extracting(s -> s.labels()
        .get("reporter")).containsExactly("source");
    assertThat(scrape.samples("istio_request_duration_milliseconds_count"))
        .extracting(s -> s.labels().get("reporter"))
        .containsExactlyInAnyOrder("source", "destination");

    admin.telemetry().configure(TelemetryPolicy.DEFAULT);
    record(report(Reporter.DESTINATION).build());

    assertThat(admin.scrape().find(IstioMetrics.REQUESTS_TOTAL, Map.of("reporter",
        "destination")).orElseThrow().value()).isEqualTo(1.0);
  }

  @Test
  void tagOverrides_removeUpsertLiteralAndHeader_onTheNamedMetricOnly() {
    admin.telemetry().configure(Policies.serverMetrics(Set.of(), Map.of(
        IstioMetrics.REQUESTS_TOTAL, List.of(
            new TagOverride("source_principal", null),
            new TagOverride("destination_version", new TagValue.Literal("canary")),
            new TagOverride("mesh_id", new TagValue.Literal("inboard-test")),
            new TagOverride("tenant", new TagValue.RequestHeader("x-tenant"))))));
    assertThat(admin.telemetry().capturedHeaders()).containsExactly("x-tenant");

    record(report(Reporter.DESTINATION)
        .details(RequestDetails.builder().headers(Map.of("x-tenant", "acme")).build()).build());
    record(report(Reporter.DESTINATION).build());

    PrometheusText scrape = admin.scrape();
    List<Sample> requests = scrape.samples(IstioMetrics.REQUESTS_TOTAL);
    assertThat(requests).hasSize(2).allSatisfy(s -> {
      assertThat(s.labels()).doesNotContainKey("source_principal")
          .containsEntry("destination_version", "canary")
          .containsEntry("mesh_id", "inboard-test")
          .hasSize(IstioMetrics.LABELS.size() - 1 + 2);
      assertThat(s.value()).isEqualTo(1.0);
    });
    assertThat(requests).extracting(s -> s.labels().get("tenant"))
        .containsExactlyInAnyOrder("acme", "unknown");
    // other metrics keep Istio's labels
    Sample duration = only(scrape.samples("istio_request_duration_milliseconds_count"));
    assertThat(duration.labels()).containsOnlyKeys(IstioMetrics.LABELS)
        .containsEntry("destination_version", "v2");
    assertThat(duration.value()).isEqualTo(2.0);
  }

  @Test
  void overridesOfOneSide_leaveTheOtherSideAlone() {
    admin.telemetry().configure(Policies.serverMetrics(Set.of(), Map.of(
        IstioMetrics.REQUESTS_TOTAL, List.of(new TagOverride("response_flags", null)))));

    record(report(Reporter.SOURCE).build());

    assertThat(only(admin.scrape().samples(IstioMetrics.REQUESTS_TOTAL)).labels())
        .containsOnlyKeys(IstioMetrics.LABELS).containsEntry("reporter", "source");
  }

  @Test
  void policyChange_takesEffectForTheNextReport() {
    record(report(Reporter.DESTINATION).build());
    admin.telemetry().configure(Policies.serverMetrics(Set.of(), Map.of(
        IstioMetrics.REQUESTS_TOTAL,
        List.of(new TagOverride("source_workload", new TagValue.Literal("hidden"))))));
    record(report(Reporter.DESTINATION).build());

    assertThat(admin.scrape().samples(IstioMetrics.REQUESTS_TOTAL))
        .extracting(s -> labels("workload", s.labels().get("source_workload"),
            "value", Double.toString(s.value())))
        .containsExactlyInAnyOrder(labels("workload", "productpage-v1", "value", "1.0"),
            labels("workload", "hidden", "value", "1.0"));
  }

  private RequestReport.Builder report(Reporter reporter) {
    PeerIdentity self = PeerIdentity.of(admin.mesh());
    PeerIdentity peer = new PeerIdentity("productpage-v1", "default", "productpage", "v1");
    return RequestReport.builder(reporter, Protocol.HTTP)
        .source(reporter == Reporter.DESTINATION ? peer : self)
        .destination(reporter == Reporter.DESTINATION ? self : peer)
        .destinationService("reviews.default.svc.cluster.local").responseCode(200);
  }

  private void record(RequestReport r) {
    admin.telemetry().metrics().record(r);
  }
}
