package io.inboard.mesh.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.inboard.mesh.api.internal.telemetry.MeshHealthMetrics.Counter;
import io.inboard.mesh.api.internal.telemetry.MeshHealthMetrics.Gauge;
import io.inboard.mesh.api.internal.telemetry.PeerIdentity;
import io.inboard.mesh.api.internal.telemetry.RequestDetails;
import io.inboard.mesh.api.internal.telemetry.RequestReport;
import io.inboard.mesh.http.internal.telemetry.RecordingTelemetry;
import io.inboard.mesh.http.internal.telemetry.RecordingTelemetry.Span;
import io.inboard.mesh.testing.HttpBackendExtension;
import io.inboard.mesh.testing.RecordedRequest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The {@code reporter="source"} reports, spans and cluster health the HTTP client gives its
 * telemetry, against a real control plane and loopback backends: every field of an answered
 * call, and each Envoy response flag the client can set, proven by the failure that sets it.
 * v1 is on 127.0.0.2, v2 on 127.0.0.3; v3 is a subset without endpoints.
 */
class XdsCallReportsTest {

  private static volatile RecordingTelemetry telemetry;

  @RegisterExtension
  static final XdsSubsets xds = new XdsSubsets("reports-client", b -> { }, "v1", "v2")
      .beforeClient(mesh -> telemetry = RecordingTelemetry.installOn(mesh).capture("x-tenant"));

  final HttpBackendExtension v1 = xds.backend("v1");
  final HttpBackendExtension v2 = xds.backend("v2");

  @AfterEach
  void reset() {
    xds.resetBackends();
  }

  static void service(String name, String routeSpec) {
    xds.cp().register(name, xds.backend("v1"), xds.backend("v2"));
    xds.cp().subsets(name, "v1", "v2", "v3");
    virtualService(name, routeSpec);
  }

  /** As {@link #service}, with the DestinationRule's {@code trafficPolicy} (one YAML line). */
  static void service(String name, String routeSpec, String trafficPolicy) {
    xds.cp().register(name, xds.backend("v1"), xds.backend("v2"));
    xds.cp().applyReporting("""
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: SVC}
        spec:
          host: SVC
          trafficPolicy: POLICY
          subsets: [{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}]
        """.replace("SVC", name).replace("POLICY", trafficPolicy));
    virtualService(name, routeSpec);
  }

  static void virtualService(String name, String routeSpec) {
    var errors = xds.cp().applyReporting(("""
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: SVC}
        spec:
          hosts: [SVC]
          http:
        """ + routeSpec).replace("SVC", name)).errors();
    assertThat(errors).isEmpty();
  }

  /** Waits until calls to {@code service} answer {@code status} (its config is in force). */
  static void awaitRoutes(String service, String path, int status) {
    Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
        .until(() -> xds.get(service, path).statusCode() == status);
  }

  static String cluster(String service, String subset) {
    return "outbound|" + xds.port() + "|" + subset + "|" + xds.cp().host(service);
  }

  /** The report of the next call to {@code service} that {@code call} makes. */
  static RequestReport reportOf(String service, ThrowingRunnable call) throws Exception {
    int before = telemetry.reportsFor(service).size();
    try {
      call.run();
    } catch (Exception expected) {
      // failures are what some tests report on
    }
    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> telemetry.reportsFor(service).size() > before);
    List<RequestReport> all = telemetry.reportsFor(service);
    assertThat(all).hasSize(before + 1);
    return all.get(all.size() - 1);
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  static Span callSpanOf(RequestReport report) {
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> telemetry.spans.stream()
        .anyMatch(s -> s.kind.equals("CALL") && s.report == report));
    return telemetry.spans.stream().filter(s -> s.kind.equals("CALL") && s.report == report)
        .findFirst().orElseThrow();
  }

  @Test
  void answeredCall_reportsEveryFieldAndOneAttemptSpanWhoseContextWentOnTheWire()
      throws Exception {
    service("details", """
          - name: details-route
            route: [{destination: {host: SVC, subset: v1}}]
        """);
    awaitRoutes("details", "/", 200);
    v1.responseHeader(PeerIdentity.HEADER, "details-v1;default;details;v1;details;v1;Kubernetes");
    URI uri = URI.create("http://details:" + xds.port() + "/details/1?x=y");

    RequestReport r = reportOf("details", () -> xds.http().send(HttpRequest.newBuilder(uri)
        .POST(HttpRequest.BodyPublishers.ofString("hello")).header("x-request-id", "r-1")
        .header("x-forwarded-for", "10.0.0.1").header("user-agent", "reports-test")
        .header("x-tenant", "t1").build(), BodyHandlers.ofString()));

    assertThat(r.reporter()).isEqualTo(RequestReport.Reporter.SOURCE);
    assertThat(r.source().workload()).isEqualTo("reports-client");
    assertThat(r.source().namespace()).isEqualTo("default");
    assertThat(r.destination()).isEqualTo(new PeerIdentity("details-v1", "default", "details",
        "v1", "details", "v1", "Kubernetes"));
    assertThat(r.destinationService()).isEqualTo("details.default.svc.cluster.local");
    assertThat(r.responseCode()).isEqualTo(200);
    assertThat(r.responseFlags()).isEqualTo("-");
    assertThat(r.requestBytes()).isEqualTo(5);
    assertThat(r.responseBytes()).isEqualTo(v1.ip().length());
    assertThat(r.durationNanos()).isPositive();
    RequestDetails d = r.details();
    assertThat(d.startEpochMillis()).isCloseTo(System.currentTimeMillis(),
        org.assertj.core.data.Offset.offset(10_000L));
    assertThat(d.method()).isEqualTo("POST");
    assertThat(d.path()).isEqualTo("/details/1?x=y");
    assertThat(d.protocolVersion()).isEqualTo("HTTP/1.1");
    assertThat(d.authority()).isEqualTo("details:" + xds.port());
    assertThat(d.userAgent()).isEqualTo("reports-test");
    assertThat(d.requestId()).isEqualTo("r-1");
    assertThat(d.forwardedFor()).isEqualTo("10.0.0.1");
    assertThat(d.upstreamHost()).isEqualTo(v1.ip() + ":" + v1.port());
    assertThat(d.upstreamCluster()).isEqualTo(cluster("details", "v1"));
    assertThat(d.routeName()).isEqualTo("details-route");
    assertThat(d.responseCodeDetails()).isEqualTo("via_upstream");
    assertThat(d.upstreamServiceTimeMillis()).isBetween(0L, r.durationNanos() / 1_000_000);
    assertThat(d.attempts()).isEqualTo(1);
    assertThat(d.headers()).isEqualTo(Map.of("x-tenant", "t1"));

    Span call = callSpanOf(r);
    assertThat(call.name).isEqualTo("POST");
    List<Span> attempts = telemetry.children(call, "ATTEMPT");
    assertThat(attempts).hasSize(1);
    assertThat(attempts.get(0).responseCode).isEqualTo(200);
    assertThat(attempts.get(0).upstreamHost).isEqualTo(v1.ip() + ":" + v1.port());
    assertThat(v1.lastRequest().orElseThrow().header("traceparent"))
        .hasValue(attempts.get(0).traceparent());
    assertThat(v1.lastRequest().orElseThrow().header(PeerIdentity.HEADER))
        .hasValue(r.source().toHeader());
  }

  @Test
  void retriesExhaustedOn5xx_reportUrxWithTheLastResponse_anAttemptSpanPerTry_andCountRetries()
      throws Exception {
    service("retried", """
          - route: [{destination: {host: SVC, subset: v1}}]
            retries: {attempts: 2, retryOn: 5xx}
        """);
    awaitRoutes("retried", "/", 200);
    v1.status(503);
    int before = v1.calls();
    long retries = telemetry.count(Counter.RETRY, cluster("retried", "v1"));

    RequestReport r = reportOf("retried", () -> xds.get("retried", "/"));

    assertThat(r.responseCode()).isEqualTo(503);
    assertThat(r.responseFlags()).isEqualTo("URX");
    assertThat(r.details().responseCodeDetails()).isEqualTo("via_upstream");
    assertThat(r.details().attempts()).isEqualTo(3);
    List<Span> attempts = telemetry.children(callSpanOf(r), "ATTEMPT");
    assertThat(attempts).extracting(a -> a.attempt).containsExactly(1, 2, 3);
    assertThat(attempts).allSatisfy(a -> assertThat(a.responseCode).isEqualTo(503));
    // each try carried its own attempt span's context
    List<RecordedRequest> tries = v1.requests().subList(before, v1.calls());
    assertThat(tries).extracting(t -> t.header("traceparent").orElseThrow())
        .containsExactlyElementsOf(attempts.stream().map(Span::traceparent).toList());
    assertThat(telemetry.count(Counter.RETRY, cluster("retried", "v1")) - retries).isEqualTo(2);
    assertThat(telemetry.count(Counter.RETRY_LIMIT_EXCEEDED, cluster("retried", "v1")))
        .isEqualTo(1);
  }

  @Test
  void requestNoRouteMatches_reportsNr404() throws Exception {
    service("partial", """
          - match: [{uri: {prefix: /only}}]
            route: [{destination: {host: SVC, subset: v1}}]
        """);
    awaitRoutes("partial", "/only", 200);

    RequestReport r = reportOf("partial", () -> xds.get("partial", "/else"));

    assertThat(r.responseCode()).isEqualTo(404);
    assertThat(r.responseFlags()).isEqualTo("NR");
    assertThat(r.details().responseCodeDetails()).isEqualTo("route_not_found");
    assertThat(r.details().attempts()).isZero();
    assertThat(r.details().upstreamHost()).isEmpty();
  }

  @Test
  void faultAbort_reportsFiWithTheAbortStatus() throws Exception {
    service("aborted", """
          - fault: {abort: {httpStatus: 418, percentage: {value: 100}}}
            route: [{destination: {host: SVC, subset: v1}}]
        """);
    awaitRoutes("aborted", "/", 418);

    RequestReport r = reportOf("aborted", () -> xds.get("aborted", "/"));

    assertThat(r.responseCode()).isEqualTo(418);
    assertThat(r.responseFlags()).isEqualTo("FI");
    assertThat(r.details().responseCodeDetails()).isEqualTo("fault_filter_abort");
  }

  @Test
  void faultDelayAndAbort_reportDiAndFiJoined() throws Exception {
    service("delayed", """
          - fault:
              delay: {fixedDelay: 1ms, percentage: {value: 100}}
              abort: {httpStatus: 500, percentage: {value: 100}}
            route: [{destination: {host: SVC, subset: v1}}]
        """);
    awaitRoutes("delayed", "/", 500);

    RequestReport r = reportOf("delayed", () -> xds.get("delayed", "/"));

    assertThat(r.responseCode()).isEqualTo(500);
    assertThat(r.responseFlags()).isEqualTo("DI,FI");
  }

  @Test
  void faultDelayAlone_reportsDiWithTheUpstreamAnswer() throws Exception {
    service("slowed", """
          - fault: {delay: {fixedDelay: 1ms, percentage: {value: 100}}}
            route: [{destination: {host: SVC, subset: v1}}]
        """);
    awaitRoutes("slowed", "/", 200);

    RequestReport r = reportOf("slowed", () -> xds.get("slowed", "/"));

    assertThat(r.responseFlags()).isEqualTo("DI");
    assertThat(r.details().responseCodeDetails()).isEqualTo("via_upstream");
  }

  @Test
  void routeTimeout_reportsUt504_andCountsTheTimeout() throws Exception {
    service("timed", """
          - route: [{destination: {host: SVC, subset: v2}}]
            timeout: 300ms
        """);
    awaitRoutes("timed", "/", 200);
    v2.hold();
    try {
      RequestReport r = reportOf("timed", () -> xds.get("timed", "/"));

      assertThat(r.responseCode()).isEqualTo(504);
      assertThat(r.responseFlags()).isEqualTo("UT");
      assertThat(r.details().responseCodeDetails()).isEqualTo("response_timeout");
      assertThat(telemetry.count(Counter.TIMEOUT, cluster("timed", "v2"))).isEqualTo(1);
    } finally {
      v2.release();
    }
  }

  @Test
  void callerCancellingTheCall_reportsDcWithoutAStatus() throws Exception {
    service("cancelled", """
          - route: [{destination: {host: SVC, subset: v2}}]
        """);
    awaitRoutes("cancelled", "/", 200);
    v2.hold();
    try {
      int before = v2.calls();
      RequestReport r = reportOf("cancelled", () -> {
        CompletableFuture<HttpResponse<String>> f = xds.http().sendAsync(
            HttpRequest.newBuilder(URI.create("http://cancelled:" + xds.port() + "/")).build(),
            BodyHandlers.ofString());
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> v2.calls() > before);
        f.cancel(true);
      });

      assertThat(r.responseCode()).isZero();
      assertThat(r.responseFlags()).isEqualTo("DC");
      assertThat(r.details().responseCodeDetails()).isEqualTo("downstream_remote_disconnect");
      assertThat(r.details().attempts()).isEqualTo(1);
    } finally {
      v2.release();
    }
  }

  @Test
  void perTryTimeoutOnEveryTry_reportsUtAndUrx504_withPerTryDetails() throws Exception {
    service("per-try", """
          - route: [{destination: {host: SVC, subset: v2}}]
            timeout: 10s
            retries: {attempts: 1, perTryTimeout: 200ms, retryOn: gateway-error}
        """);
    awaitRoutes("per-try", "/", 200);
    v2.hold();
    try {
      RequestReport r = reportOf("per-try", () -> xds.get("per-try", "/"));

      assertThat(r.responseCode()).isEqualTo(504);
      assertThat(r.responseFlags()).isEqualTo("UT,URX");
      assertThat(r.details().responseCodeDetails()).isEqualTo("upstream_per_try_timeout");
      assertThat(r.details().attempts()).isEqualTo(2);
      assertThat(telemetry.count(Counter.TIMEOUT, cluster("per-try", "v2"))).isEqualTo(1);
      assertThat(telemetry.children(callSpanOf(r), "ATTEMPT"))
          .allSatisfy(a -> assertThat(a.flags).isEqualTo("UT"));
    } finally {
      v2.release();
    }
  }

  @Test
  void subsetWithoutEndpoints_reportsTheControlPlanesAbort() throws Exception {
    // the control plane aborts routes whose clusters are all empty (EmptyServiceRoutes), with
    // UNAVAILABLE as 503: the client reports that abort as Envoy would, FI
    service("empty", """
          - route: [{destination: {host: SVC, subset: v3}}]
        """);
    awaitRoutes("empty", "/", 503);

    RequestReport r = reportOf("empty", () -> xds.get("empty", "/"));

    assertThat(r.responseCode()).isEqualTo(503);
    assertThat(r.responseFlags()).isEqualTo("FI");
    assertThat(r.details().attempts()).isZero();
  }

  @Test
  void poolFull_reportsUo503_countsOverflow_andTheCircuitGaugeReadsOpen()
      throws Exception {
    service("limited", """
          - route: [{destination: {host: SVC, subset: v1}}]
        """, "{connectionPool: {tcp: {maxConnections: 1},"
        + " http: {http2MaxRequests: 10, http1MaxPendingRequests: 1}}}");
    // one connection, and one call waiting for it: the third is shed
    String cluster = cluster("limited", "v1");
    // the pool limits reach the client asynchronously: wait until its gauge has registered
    Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
        xds.get("limited", "/").statusCode() == 200
            && telemetry.gauge(Gauge.CIRCUIT_OPEN, cluster).isPresent());
    v1.hold();
    try {
      HttpRequest get = HttpRequest.newBuilder(
          URI.create("http://limited:" + xds.port() + "/")).build();
      CompletableFuture<HttpResponse<String>> active = xds.http().sendAsync(get,
          BodyHandlers.ofString());
      Awaitility.await().atMost(Duration.ofSeconds(10))
          .until(() -> telemetry.gauge(Gauge.CIRCUIT_OPEN, cluster).orElse(0L) == 1);
      assertThat(telemetry.gauge(Gauge.ACTIVE_REQUESTS, cluster)).hasValue(1L);
      CompletableFuture<HttpResponse<String>> pending = xds.http().sendAsync(get,
          BodyHandlers.ofString());

      RequestReport r = reportOf("limited", () -> xds.get("limited", "/"));

      assertThat(r.responseCode()).isEqualTo(503);
      assertThat(r.responseFlags()).isEqualTo("UO");
      assertThat(r.details().responseCodeDetails())
          .isEqualTo("upstream_reset_before_response_started{overflow}");
      assertThat(telemetry.count(Counter.OVERFLOW, cluster)).isEqualTo(1);
      v1.release();
      assertThat(active.get().statusCode()).isEqualTo(200);
      assertThat(pending.get().statusCode()).isEqualTo(200);
    } finally {
      v1.release();
    }
  }

  @Test
  void connectionRefused_reportsUfAndUrxAfterIstiosDefaultRetries() throws Exception {
    try (DroppingBackend refusing = DroppingBackend.refusing("127.0.0.5")) {
      RequestReport r = droppedCall("refused", refusing);

      assertThat(r.responseCode()).isEqualTo(503);
      assertThat(r.responseFlags()).isEqualTo("UF,URX");
      assertThat(r.details().responseCodeDetails())
          .isEqualTo("upstream_reset_before_response_started{connection_failure}");
      // Istio's default policy retries connect failures twice
      assertThat(r.details().attempts()).isEqualTo(3);
      assertThat(r.details().upstreamHost()).isEqualTo("127.0.0.5:" + refusing.port());
    }
  }

  @Test
  void upstreamClosesBeforeAnswering_reportsUc() throws Exception {
    try (DroppingBackend closing = DroppingBackend.closing("127.0.0.6")) {
      RequestReport r = droppedCall("closing", closing);

      assertThat(r.responseCode()).isEqualTo(503);
      assertThat(r.responseFlags()).isEqualTo("UC");
      assertThat(r.details().responseCodeDetails())
          .isEqualTo("upstream_reset_before_response_started{connection_termination}");
    }
  }

  @Test
  void upstreamResetsBeforeAnswering_reportsUr() throws Exception {
    try (DroppingBackend resetting = DroppingBackend.resetting("127.0.0.7")) {
      RequestReport r = droppedCall("resetting", resetting);

      assertThat(r.responseCode()).isEqualTo(503);
      assertThat(r.responseFlags()).isEqualTo("UR");
      assertThat(r.details().responseCodeDetails())
          .isEqualTo("upstream_reset_before_response_started{remote_reset}");
    }
  }

  /** Routes {@code service} to {@code backend} alone and reports one call to it. */
  private static RequestReport droppedCall(String service, DroppingBackend backend)
      throws Exception {
    xds.cp().register(service, backend);
    xds.cp().apply("""
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: SVC}
        spec:
          hosts: [SVC]
          http:
          - route: [{destination: {host: SVC}}]
        """.replace("SVC", service));
    HttpRequest get = HttpRequest.newBuilder(
        URI.create("http://" + service + ":" + backend.port() + "/")).build();
    // until the config is in force, calls fail with "not yet discovered" (reported as NC)
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
      try {
        xds.http().send(get, BodyHandlers.ofString());
        return true;
      } catch (Exception e) {
        return backend.calls() > 0 || e.getMessage() == null
            || !e.getMessage().contains("not received");
      }
    });
    return reportOf(service, () -> xds.http().send(get, BodyHandlers.ofString()));
  }

  @Test
  void mirroredCopy_isItsOwnTracedCall_butNotAReportedRequest() throws Exception {
    service("mirrored", """
          - route: [{destination: {host: SVC, subset: v1}}]
            mirror: {host: SVC, subset: v2}
            mirrorPercentage: {value: 100}
        """);
    int shadowBefore = v2.calls();
    Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
        .until(() -> xds.get("mirrored", "/").statusCode() == 200 && v2.calls() > shadowBefore);
    int shadowed = v2.calls();

    RequestReport r = reportOf("mirrored", () -> xds.get("mirrored", "/"));

    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> v2.calls() > shadowed);
    String shadowTrace = v2.lastRequest().orElseThrow().header("traceparent").orElseThrow();
    Span shadowAttempt = telemetry.spans.stream()
        .filter(s -> s.traceparent().equals(shadowTrace)).findFirst().orElseThrow();
    Span shadowCall = telemetry.span(shadowAttempt.parentSpanId).orElseThrow();
    assertThat(shadowCall.kind).isEqualTo("CALL");
    assertThat(shadowCall).isNotSameAs(callSpanOf(r));
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> shadowCall.ended);
    assertThat(shadowCall.report.details().upstreamCluster()).isEqualTo(cluster("mirrored", "v2"));
    // only the caller's call is a request in the metrics
    assertThat(telemetry.reportsFor("mirrored")).noneMatch(
        x -> x.details().upstreamCluster().equals(cluster("mirrored", "v2")));
    assertThat(r.details().upstreamCluster()).isEqualTo(cluster("mirrored", "v1"));
  }

  @Test
  void outlierEjection_isCountedAndShownInTheActiveEjectionsGauge() throws Exception {
    service("ejecting", """
          - route: [{destination: {host: SVC, subset: v1}}]
            retries: {attempts: 0}
        """, "{outlierDetection: {consecutive5xxErrors: 1, interval: 1s, baseEjectionTime: 30s,"
        + " maxEjectionPercent: 100}}");
    String cluster = cluster("ejecting", "v1");
    Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
        xds.get("ejecting", "/").statusCode() == 200
            && telemetry.gauge(Gauge.EJECTIONS_ACTIVE, cluster).isPresent());
    v1.status(500);

    assertThat(xds.get("ejecting", "/").statusCode()).isEqualTo(500);

    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> telemetry.count(Counter.EJECTION, cluster) == 1);
    assertThat(telemetry.gauge(Gauge.EJECTIONS_ACTIVE, cluster)).hasValue(1L);

    // with its only endpoint ejected the cluster has no healthy upstream
    RequestReport r = reportOf("ejecting", () -> xds.get("ejecting", "/"));
    assertThat(r.responseCode()).isEqualTo(503);
    assertThat(r.responseFlags()).isEqualTo("UH");
    assertThat(r.details().responseCodeDetails()).isEqualTo("no_healthy_upstream");
    assertThat(r.details().upstreamCluster()).isEqualTo(cluster);
  }
}
