package io.inboard.mesh.telemetry.internal.accesslog;

import static io.inboard.mesh.telemetry.internal.accesslog.AccessLogLineTest.fields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.discovery.StaticDiscovery;
import io.inboard.mesh.api.inbound.InboundRequest.Protocol;
import io.inboard.mesh.api.internal.InternalMesh;
import io.inboard.mesh.api.internal.telemetry.RequestDetails;
import io.inboard.mesh.api.internal.telemetry.RequestReport;
import io.inboard.mesh.api.internal.telemetry.RequestReport.Reporter;
import io.inboard.mesh.api.internal.telemetry.policy.AccessLogRules;
import io.inboard.mesh.api.internal.telemetry.policy.AccessLogRules.CodeFilter;
import io.inboard.mesh.api.internal.telemetry.policy.AccessLogRules.Comparison;
import io.inboard.mesh.api.internal.telemetry.policy.AccessLogRules.Encoding;
import io.inboard.mesh.api.internal.telemetry.policy.AccessLogRules.Op;
import io.inboard.mesh.api.internal.telemetry.policy.MetricRules;
import io.inboard.mesh.api.internal.telemetry.policy.MetricRules.TagOverride;
import io.inboard.mesh.api.internal.telemetry.policy.MetricRules.TagValue;
import io.inboard.mesh.api.internal.telemetry.policy.TelemetryPolicy;
import io.inboard.mesh.api.internal.telemetry.policy.TelemetryPolicy.Side;
import io.inboard.mesh.api.internal.telemetry.policy.TracingRules;
import io.inboard.mesh.telemetry.AdminMesh;
import io.inboard.mesh.telemetry.IstioMetrics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Access logging as the Telemetry API's {@code accessLogging} rules turn it on, per side. */
class AccessLogPolicyTest {

  @RegisterExtension
  final AdminMesh admin = new AdminMesh();

  private final List<String> lines = new CopyOnWriteArrayList<>();

  @Test
  void byDefault_nothingIsLogged() {
    AccessLogs.redirect(admin.mesh(), lines::add);

    record(report(Reporter.DESTINATION, 200));
    record(report(Reporter.SOURCE, 503));

    assertThat(lines).isEmpty();
  }

  @Test
  void serverSideWithCodeFilter_logsOnlyMatchingInboundRequests() {
    AccessLogs.redirect(admin.mesh(), lines::add);
    // filter.expression: response.code >= 400
    admin.telemetry().configure(policy(Side.DEFAULT, side(new AccessLogRules(true, Encoding.TEXT,
        new CodeFilter(List.of(List.of(new Comparison(Op.GE, 400))))))));

    record(report(Reporter.DESTINATION, 200));
    record(report(Reporter.DESTINATION, 503));
    record(report(Reporter.SOURCE, 503));

    assertThat(lines).hasSize(1);
    assertThat(fields(lines.get(0))).containsEntry("responseCode", "503")
        .containsEntry("path", "/reviews/1").containsEntry("protocol", "HTTP/2")
        .containsEntry("startTime", "2026-12-06T10:00:00.123Z")
        .containsEntry("responseFlags", "UH").containsEntry("duration", "7");
  }

  @Test
  void clientSideJson_logsOutboundCallsAsJson_untilThePolicyTurnsItOff() {
    AccessLogs.redirect(admin.mesh(), lines::add);
    admin.telemetry().configure(policy(side(new AccessLogRules(true, Encoding.JSON,
        CodeFilter.ALL)), Side.DEFAULT));

    record(report(Reporter.SOURCE, 200));
    record(report(Reporter.DESTINATION, 200));
    admin.telemetry().configure(TelemetryPolicy.DEFAULT);
    record(report(Reporter.SOURCE, 200));

    assertThat(lines).hasSize(1);
    assertThat(FlatJson.parse(lines.get(0))).containsEntry("response_code", 200L)
        .containsEntry("method", "POST").containsEntry("path", "/reviews/1")
        .containsEntry("response_flags", "UH").containsEntry("duration", 7L);
  }

  @Test
  void defaultOutput_isStandardOutput_oneLinePerRequest() {
    admin.telemetry().configure(policy(Side.DEFAULT, side(new AccessLogRules(true, Encoding.TEXT,
        CodeFilter.ALL))));
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      record(report(Reporter.DESTINATION, 200));
      record(report(Reporter.DESTINATION, 201));
    } finally {
      System.setOut(original);
    }

    List<String> out = captured.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(out).hasSize(2);
    assertThat(out).extracting(l -> fields(l).get("responseCode")).containsExactly("200", "201");
  }

  @Test
  void meshWithoutAdminServer_stillLogs() {
    try (Mesh bare = Mesh.builder().workloadName("bare").namespace("default")
        .discovery(new StaticDiscovery()).adminPort(-1).build()) {
      AccessLogs.redirect(bare, lines::add);
      InternalMesh.telemetry(bare).configure(policy(Side.DEFAULT, side(new AccessLogRules(true,
          Encoding.TEXT, CodeFilter.ALL))));
      InternalMesh.telemetry(bare).metrics().record(report(Reporter.DESTINATION, 200));
    }
    assertThat(lines).hasSize(1);
  }

  @Test
  void redirect_ofAClosedMesh_failsNamingTheMesh() {
    Mesh closed = Mesh.builder().workloadName("gone").namespace("default")
        .discovery(new StaticDiscovery()).adminPort(-1).build();
    closed.close();

    assertThatThrownBy(() -> AccessLogs.redirect(closed, lines::add))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("gone");
  }

  @Test
  void reportDetailsAreAskedForOnlyOnTheSideThatLogsOrReadsHeaders() {
    var metrics = admin.telemetry().metrics();
    assertThat(metrics.readsDetails(Reporter.SOURCE)).isFalse();
    assertThat(metrics.readsDetails(Reporter.DESTINATION)).isFalse();

    admin.telemetry().configure(policy(Side.DEFAULT, side(new AccessLogRules(true, Encoding.TEXT,
        CodeFilter.ALL))));
    assertThat(metrics.readsDetails(Reporter.SOURCE)).isFalse();
    assertThat(metrics.readsDetails(Reporter.DESTINATION)).isTrue();

    MetricRules tenantTag = new MetricRules(Set.of(), Map.of(IstioMetrics.REQUESTS_TOTAL,
        List.of(new TagOverride("tenant", new TagValue.RequestHeader("x-tenant")))));
    admin.telemetry().configure(policy(
        new Side(tenantTag, TracingRules.DEFAULT, AccessLogRules.DEFAULT), Side.DEFAULT));
    assertThat(metrics.readsDetails(Reporter.SOURCE)).isTrue();
    assertThat(metrics.readsDetails(Reporter.DESTINATION)).isFalse();
  }

  private static TelemetryPolicy policy(Side client, Side server) {
    return new TelemetryPolicy(client, server, List.of());
  }

  private static Side side(AccessLogRules rules) {
    return new Side(MetricRules.DEFAULT, TracingRules.DEFAULT, rules);
  }

  private static RequestReport report(Reporter reporter, int code) {
    return RequestReport.builder(reporter, Protocol.GRPC).responseCode(code).grpcStatus("14")
        .responseFlags("UH").durationNanos(7_200_000L).details(RequestDetails.builder()
            .startEpochMillis(AccessLogLineTest.START).method("POST").path("/reviews/1")
            .protocolVersion("HTTP/2").build())
        .build();
  }

  private void record(RequestReport r) {
    admin.telemetry().metrics().record(r);
  }
}
