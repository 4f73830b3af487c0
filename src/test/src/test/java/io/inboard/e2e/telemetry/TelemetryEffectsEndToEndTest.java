package io.inboard.e2e.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.internal.InternalMesh;
import io.inboard.mesh.api.internal.telemetry.policy.AccessLogRules;
import io.inboard.mesh.api.internal.telemetry.policy.TelemetryPolicy;
import io.inboard.mesh.controlplane.cli.InboardCtl;
import io.inboard.mesh.controlplane.testing.ControlPlaneExtension;
import io.inboard.mesh.telemetry.IstioMetrics;
import io.inboard.mesh.telemetry.internal.accesslog.AccessLogOutput;
import io.inboard.mesh.telemetry.internal.accesslog.AccessLogs;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Istio Telemetry resources change what real workloads report, at run time: applied, updated
 * and deleted on a real control plane, each change awaited in the workloads' policy and then
 * seen where an operator sees it: the admin server's scrape, the access-log lines, the spans a
 * Zipkin collector receives. A bad Telemetry is refused by {@code inboardctl apply} naming the
 * field, and the workloads keep behaving as before.
 */
class TelemetryEffectsEndToEndTest {
  static final Duration WAIT = Duration.ofSeconds(20);
  static final String REQUESTS = IstioMetrics.REQUESTS_TOTAL;
  static final ZipkinCollector zipkin = ZipkinCollector.start();

  @RegisterExtension
  static final ControlPlaneExtension cp = ControlPlaneExtension.builder()
      .configure(b -> b.meshConfig(zipkin.meshConfig())).build();

  static MeshPair p;
  /** The workloads' policy without any Telemetry: the mesh config's tracing provider only. */
  static TelemetryPolicy initial;
  static final List<String> clientLines = new CopyOnWriteArrayList<>();
  static final List<String> serverLines = new CopyOnWriteArrayList<>();
  private String applied;

  @BeforeAll
  static void start() throws Exception {
    p = new MeshPair(cp, "ratings", "127.0.0.2");
    AccessLogs.redirect(p.client, clientLines::add);
    AccessLogs.redirect(p.pod.mesh, serverLines::add);
    await().atMost(WAIT).until(() -> p.grpc().equals("OK") && p.http("/warm") == 200);
    initial = await().atMost(WAIT).until(InternalMesh.telemetry(p.client)::policy,
        x -> !x.exporters().isEmpty());
    awaitPolicy(initial::equals);
  }

  @AfterAll
  static void stop() throws Exception {
    AccessLogs.redirect(p.client, AccessLogOutput.STDOUT);
    AccessLogs.redirect(p.pod.mesh, AccessLogOutput.STDOUT);
    p.close();
    zipkin.close();
  }

  /** Deletes what the test applied; waits until both workloads have the initial policy. */
  @AfterEach
  void deleteTelemetry() {
    if (applied != null) {
      cp.controlPlane().delete(applied);
      awaitPolicy(x -> x.equals(initial));
    }
  }

  static String telemetry(String name, String spec) {
    return """
        apiVersion: telemetry.istio.io/v1
        kind: Telemetry
        metadata: {name: %s, namespace: default}
        spec:
        %s""".formatted(name, spec.strip().indent(2));
  }

  /** Applies a Telemetry of the default namespace (both workloads) and remembers it. */
  void apply(String name, String spec) {
    applied = telemetry(name, spec);
    cp.apply(applied);
  }

  static void awaitPolicy(Predicate<TelemetryPolicy> done) {
    for (Mesh m : List.of(p.client, p.pod.mesh)) {
      await().atMost(WAIT).until(InternalMesh.telemetry(m)::policy, done);
    }
  }

  static double count(Scrape s, Map<String, String> having) {
    return s.sum(REQUESTS, having);
  }

  @Test
  void aDisabledRequestCount_stopsCounting_andCountsAgainAfterDelete() {
    Map<String, String> http = Map.of("request_protocol", "http");
    apply("no-request-count", """
        metrics:
        - providers: [{name: prometheus}]
          overrides:
          - match: {metric: REQUEST_COUNT}
            disabled: true
        """);
    awaitPolicy(x -> !x.client().metrics().enabled(REQUESTS)
        && !x.server().metrics().enabled(REQUESTS));
    double clientBefore = count(p.clientScrape(), http);
    double serverBefore = count(p.serverScrape(), http);
    double durationsBefore = p.serverScrape().sum(IstioMetrics.REQUEST_DURATION + "_count", http);

    for (int i = 0; i < 3; i++) {
      assertThat(p.http("/off/" + i)).isEqualTo(200);
    }
    // the server recorded the three requests (their durations), but counted none
    await().atMost(WAIT).until(() -> p.serverScrape().sum(IstioMetrics.REQUEST_DURATION
        + "_count", http) == durationsBefore + 3);
    assertThat(count(p.serverScrape(), http)).isEqualTo(serverBefore);
    assertThat(count(p.clientScrape(), http)).isEqualTo(clientBefore);

    cp.controlPlane().delete(applied);
    applied = null;
    awaitPolicy(x -> x.equals(initial));
    for (int i = 0; i < 3; i++) {
      assertThat(p.http("/on/" + i)).isEqualTo(200);
    }
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(count(p.clientScrape(), http)).isEqualTo(clientBefore + 3);
      assertThat(count(p.serverScrape(), http)).isEqualTo(serverBefore + 3);
    });
  }

  @Test
  void tagOverrides_upsertALiteralAndAHeader_andRemoveALabel() {
    apply("tenant-tags", """
        metrics:
        - providers: [{name: prometheus}]
          overrides:
          - match: {metric: REQUEST_COUNT}
            tagOverrides:
              tier: {value: "'gold'"}
              tenant: {value: "request.headers['x-tenant']"}
              request_protocol: {operation: REMOVE}
        """);
    awaitPolicy(x -> !x.client().metrics().overrides(REQUESTS).isEmpty()
        && !x.server().metrics().overrides(REQUESTS).isEmpty());

    assertThat(p.http("/t", Map.of("x-tenant", "acme")).statusCode()).isEqualTo(200);
    assertThat(p.http("/t", Map.of("x-tenant", "acme")).statusCode()).isEqualTo(200);
    assertThat(p.grpc(Map.of("x-tenant", "beta"))).isEqualTo("OK");
    assertThat(p.http("/t")).isEqualTo(200);

    await().atMost(WAIT).untilAsserted(() -> {
      for (Scrape s : List.of(p.clientScrape(), p.serverScrape())) {
        List<Scrape.Sample> tagged = s.samples(REQUESTS, Map.of("tier", "gold"));
        assertThat(tagged).as(s.lines(REQUESTS)).hasSize(3).allSatisfy(x -> {
          assertThat(x.labels()).doesNotContainKey("request_protocol")
              .hasSize(IstioMetrics.LABELS.size() - 1 + 2);
        });
        assertThat(tagged).extracting(x -> x.label("tenant") + "=" + (int) x.value())
            .containsExactlyInAnyOrder("acme=2", "beta=1", "unknown=1");
      }
    });

    // an update: the literal changes and request_protocol comes back
    apply("tenant-tags", """
        metrics:
        - providers: [{name: prometheus}]
          overrides:
          - match: {metric: REQUEST_COUNT}
            tagOverrides:
              tier: {value: "'platinum'"}
        """);
    awaitPolicy(x -> x.client().metrics().overrides(REQUESTS).size() == 1
        && x.server().metrics().overrides(REQUESTS).size() == 1);
    assertThat(p.http("/t", Map.of("x-tenant", "acme")).statusCode()).isEqualTo(200);
    await().atMost(WAIT).untilAsserted(() -> {
      for (Scrape s : List.of(p.clientScrape(), p.serverScrape())) {
        assertThat(s.samples(REQUESTS, Map.of("tier", "platinum"))).singleElement()
            .satisfies(x -> {
              assertThat(x.labels()).containsEntry("request_protocol", "http")
                  .doesNotContainKey("tenant").hasSize(IstioMetrics.LABELS.size() + 1);
              assertThat(x.value()).isEqualTo(1);
            });
      }
    });
  }

  static final String TEXT_LINE = "^\\[\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\\] ";

  static List<String> lines(List<String> from, String requestId) {
    return from.stream().filter(l -> l.contains(requestId)).toList();
  }

  @Test
  void accessLogging_writesOneIstioLinePerRequest_filtersByCode_andSpeaksJson() {
    apply("access-log", """
        accessLogging: [{providers: [{name: envoy}]}]
        """);
    awaitPolicy(x -> x.client().accessLog().enabled() && x.server().accessLog().enabled());

    assertThat(p.http("/log/1", Map.of("x-request-id", "rid-text-1")).statusCode())
        .isEqualTo(200);
    assertThat(p.grpc(Map.of("x-request-id", "rid-text-2"))).isEqualTo("OK");
    await().atMost(WAIT).until(() -> lines(serverLines, "rid-text-2").size() == 1
        && lines(clientLines, "rid-text-2").size() == 1);
    for (List<String> side : List.of(clientLines, serverLines)) {
      assertThat(lines(side, "rid-text-1")).singleElement().asString()
          .containsPattern(TEXT_LINE + "\"GET /log/1 HTTP/1.1\" 200 - ")
          .contains("\"rid-text-1\" \"" + p.httpAuthority() + "\"");
      assertThat(lines(side, "rid-text-2")).singleElement().asString()
          .containsPattern(TEXT_LINE
              + "\"POST /grpc.testing.SimpleService/UnaryRpc HTTP/2\" 200 - ")
          // MeshChannels calls the service by its full host: that is the :authority sent
          .contains("\"rid-text-2\" \"ratings.default.svc.cluster.local:" + p.pod.grpcPort()
              + "\"");
    }

    apply("access-log", """
        accessLogging:
        - providers: [{name: envoy}]
          filter: {expression: "response.code >= 400"}
        """);
    awaitPolicy(x -> !x.client().accessLog().logs(200) && !x.server().accessLog().logs(200));
    assertThat(p.http("/log/ok", Map.of("x-request-id", "rid-filter-ok")).statusCode())
        .isEqualTo(200);
    // Istio's default retry policy retries a 503 twice: the server answers three times
    p.pod.failNext(3);
    assertThat(p.http("/log/bad", Map.of("x-request-id", "rid-filter-bad")).statusCode())
        .isEqualTo(503);
    await().atMost(WAIT).until(() -> lines(serverLines, "rid-filter-bad").size() == 3
        && lines(clientLines, "rid-filter-bad").size() == 1);
    assertThat(lines(clientLines, "rid-filter-bad").get(0))
        .contains("\"GET /log/bad HTTP/1.1\" 503 URX ");
    assertThat(lines(serverLines, "rid-filter-bad"))
        .allSatisfy(l -> assertThat(l).contains("\"GET /log/bad HTTP/1.1\" 503 "));
    assertThat(lines(clientLines, "rid-filter-ok")).isEmpty();
    assertThat(lines(serverLines, "rid-filter-ok")).isEmpty();

    apply("access-log", """
        accessLogging: [{providers: [{name: envoy-json}]}]
        """);
    awaitPolicy(x -> x.server().accessLog().encoding() == AccessLogRules.Encoding.JSON
        && x.client().accessLog().encoding() == AccessLogRules.Encoding.JSON
        && x.server().accessLog().logs(200));
    assertThat(p.http("/log/json", Map.of("x-request-id", "rid-json")).statusCode())
        .isEqualTo(200);
    await().atMost(WAIT).until(() -> lines(serverLines, "rid-json").size() == 1
        && lines(clientLines, "rid-json").size() == 1);
    for (List<String> side : List.of(clientLines, serverLines)) {
      JsonObject json = JsonParser.parseString(lines(side, "rid-json").get(0)).getAsJsonObject();
      assertThat(json.get("method").getAsString()).isEqualTo("GET");
      assertThat(json.get("path").getAsString()).isEqualTo("/log/json");
      assertThat(json.get("protocol").getAsString()).isEqualTo("HTTP/1.1");
      assertThat(json.get("response_code").getAsInt()).isEqualTo(200);
      assertThat(json.get("response_flags").getAsString()).isEqualTo("-");
      assertThat(json.get("authority").getAsString()).isEqualTo(p.httpAuthority());
      assertThat(json.get("request_id").getAsString()).isEqualTo("rid-json");
    }
  }

  @Test
  void tracingSampling_zeroExportsNothing_hundredExportsSpansWithCustomTags_aBadOneIsRefused()
      throws Exception {
    apply("tracing", """
        tracing:
        - providers: [{name: zipkin}]
          randomSamplingPercentage: 0
        """);
    awaitPolicy(x -> x.client().tracing().samplingPercentage() == 0
        && x.server().tracing().samplingPercentage() == 0);
    for (int i = 0; i < 3; i++) {
      assertThat(p.http("/zero", Map.of("x-request-id", "rid-zero-" + i)).statusCode())
          .isEqualTo(200);
    }

    apply("tracing", """
        tracing:
        - providers: [{name: zipkin}]
          randomSamplingPercentage: 100
          customTags:
            team: {literal: {value: payments}}
            tenant: {header: {name: x-tenant, defaultValue: nobody}}
        """);
    awaitPolicy(x -> x.client().tracing().samplingPercentage() == 100
        && x.server().tracing().samplingPercentage() == 100);
    assertThat(p.http("/hundred", Map.of("x-request-id", "rid-hundred", "x-tenant", "acme"))
        .statusCode()).isEqualTo(200);
    assertThat(p.grpc(Map.of("x-request-id", "rid-hundred-grpc"))).isEqualTo("OK");
    List<JsonObject> spans = await().atMost(WAIT).until(
        () -> zipkin.tagged("guid:x-request-id", "rid-hundred"),
        s -> s.stream().map(ZipkinCollector::kind).toList().containsAll(
            List.of("SERVER", "CLIENT")));
    assertThat(spans).allSatisfy(s -> {
      assertThat(ZipkinCollector.tag(s, "team")).isEqualTo("payments");
      assertThat(ZipkinCollector.tag(s, "tenant")).isEqualTo("acme");
    });
    List<JsonObject> grpc = await().atMost(WAIT).until(
        () -> zipkin.tagged("guid:x-request-id", "rid-hundred-grpc"),
        s -> s.stream().map(ZipkinCollector::kind).toList().containsAll(
            List.of("SERVER", "CLIENT")));
    assertThat(grpc).allSatisfy(s -> assertThat(ZipkinCollector.tag(s, "tenant"))
        .isEqualTo("nobody"));
    // spans leave in the order they end: the 0 % requests' would have come first
    assertThat(zipkin.spans()).noneMatch(s -> String.valueOf(
        ZipkinCollector.tag(s, "guid:x-request-id")).startsWith("rid-zero-"));

    Path bad = Files.createTempFile("telemetry", ".yaml");
    Files.writeString(bad, applied.replace("randomSamplingPercentage: 100",
        "randomSamplingPercentage: 101"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = InboardCtl.run(new String[] {"apply", "-f", bad.toString(), "--server",
        cp.adminUrl()}, new ByteArrayInputStream(new byte[0]),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    String said = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
    assertThat(code).as(said).isNotZero();
    assertThat(said).contains("Telemetry default/tracing",
        "spec.tracing[0].randomSamplingPercentage", "101");
    // the last good Telemetry still applies
    assertThat(InternalMesh.telemetry(p.client).policy().client().tracing()
        .samplingPercentage()).isEqualTo(100);
    assertThat(p.http("/after-bad", Map.of("x-request-id", "rid-after-bad")).statusCode())
        .isEqualTo(200);
    await().atMost(WAIT).until(() -> zipkin.tagged("guid:x-request-id", "rid-after-bad"),
        s -> s.stream().anyMatch(x -> ZipkinCollector.kind(x).equals("SERVER")));
  }
}
