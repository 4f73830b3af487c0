package io.inboard.e2e.telemetry;

import static io.inboard.e2e.telemetry.Scrape.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.inboard.mesh.controlplane.testing.ControlPlaneExtension;
import io.inboard.mesh.telemetry.IstioMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Istio's metrics as Prometheus scrapes them: a real control plane, a client workload and a
 * server workload (gRPC and HTTP) on loopback, and each one's admin server read over HTTP with
 * {@code GET /stats/prometheus}. Known traffic gives known series: every one of Istio's labels
 * with its value, exact counts on both reporters, Envoy's bucket boundaries; Istio's traffic
 * rules give Envoy's response flags.
 */
class IstioMetricsOverScrapeTest {
  static final Duration WAIT = Duration.ofSeconds(20);
  static final String REQUESTS = IstioMetrics.REQUESTS_TOTAL;
  /** The {@code le} labels of an Envoy sidecar's scrape, in order. */
  static final String[] ENVOY_LE = {"0.5", "1", "5", "10", "25", "50", "100", "250", "500",
      "1000", "2500", "5000", "10000", "30000", "60000", "300000", "600000", "1800000",
      "3600000", "+Inf"};

  @RegisterExtension
  static final ControlPlaneExtension cp = ControlPlaneExtension.builder().build();

  /** The 25 labels of a request from productpage-v1 to {@code service}'s v1, plaintext. */
  static Map<String, String> labels(String reporter, String protocol, String service,
      String code, String grpcStatus, String flags) {
    boolean source = reporter.equals("source");
    return with(Map.of(),
        "reporter", reporter,
        "source_workload", "productpage-v1",
        "source_canonical_service", "productpage",
        "source_canonical_revision", "v1",
        "source_workload_namespace", "default",
        "source_principal", "unknown",
        "source_app", "productpage",
        "source_version", "v1",
        "source_cluster", "Kubernetes",
        "destination_workload", service + "-v1",
        "destination_workload_namespace", "default",
        "destination_principal", "unknown",
        "destination_app", service,
        "destination_version", "v1",
        // the client knows the host it called; the server, without it, its canonical service
        "destination_service", source ? service + ".default.svc.cluster.local" : service,
        "destination_service_name", service,
        "destination_service_namespace", "default",
        "destination_canonical_service", service,
        "destination_canonical_revision", "v1",
        "destination_cluster", "Kubernetes",
        "request_protocol", protocol,
        "response_code", code,
        "grpc_response_status", grpcStatus,
        "response_flags", flags,
        "connection_security_policy", source ? "unknown" : "none");
  }

  /** The value of the series of {@code name} whose labels are exactly {@code labels}. */
  static double exactly(Scrape s, String name, Map<String, String> labels) {
    List<Scrape.Sample> found = s.samples(name, x -> x.labels().equals(labels));
    assertThat(found).as("%s%s in\n%s", name, labels, s.text()).hasSize(1);
    return found.get(0).value();
  }

  /** As {@link #exactly}, 0 when there is no such series yet. */
  static double exactlyOrZero(Scrape s, String name, Map<String, String> labels) {
    return s.samples(name, x -> x.labels().equals(labels)).stream()
        .mapToDouble(Scrape.Sample::value).sum();
  }

  /** The label sets of the scrape's request counters. */
  static java.util.Set<Map<String, String>> labelSets(Scrape s) {
    return s.samples(REQUESTS, Map.of()).stream().map(Scrape.Sample::labels)
        .collect(java.util.stream.Collectors.toSet());
  }

  @Test
  void fiveOkCalls_showIstiosFullLabelSet_andExactCounts_forBothReportersAndProtocols()
      throws Exception {
    try (MeshPair p = new MeshPair(cp, "ratings", "127.0.0.2")) {
      // warm up each protocol (a first call may come before the service's config)
      await().atMost(WAIT).until(() -> p.grpc().equals("OK"));
      await().atMost(WAIT).until(() -> p.http("/warm") == 200);
      Map<String, Map<String, String>> series = Map.of(
          "client grpc", labels("source", "grpc", "ratings", "200", "0", "-"),
          "client http", labels("source", "http", "ratings", "200", "", "-"),
          "server grpc", labels("destination", "grpc", "ratings", "200", "0", "-"),
          "server http", labels("destination", "http", "ratings", "200", "", "-"));
      Map<String, Supplier<Scrape>> scrapes = Map.of("client", p::clientScrape,
          "server", p::serverScrape);
      // the server counts a request once its response has gone: wait until both sides agree
      Map<String, Double> warm = await().atMost(WAIT).until(() -> Map.of(
          "grpc", exactlyOrZero(p.clientScrape(), REQUESTS, series.get("client grpc")),
          "http", exactlyOrZero(p.clientScrape(), REQUESTS, series.get("client http"))),
          w -> w.get("grpc") >= 1 && w.get("http") >= 1
              && exactlyOrZero(p.serverScrape(), REQUESTS, series.get("server grpc"))
                  == w.get("grpc")
              && exactlyOrZero(p.serverScrape(), REQUESTS, series.get("server http"))
                  == w.get("http"));
      Map<String, java.util.Set<Map<String, String>>> seriesBefore = Map.of(
          "client", labelSets(p.clientScrape()), "server", labelSets(p.serverScrape()));

      for (int i = 0; i < 5; i++) {
        assertThat(p.grpc()).isEqualTo("OK");
        assertThat(p.http("/ratings/" + i)).isEqualTo(200);
      }

      await().atMost(WAIT).untilAsserted(() -> series.forEach((k, l) -> assertThat(
          exactly(scrapes.get(k.split(" ")[0]).get(), REQUESTS, l)).as(k)
          .isEqualTo(warm.get(k.split(" ")[1]) + 5)));
      for (String side : List.of("client", "server")) {
        Scrape s = scrapes.get(side).get();
        assertThat(labelSets(s)).as(side + ": no new series").isEqualTo(seriesBefore.get(side));
        for (String protocol : List.of("grpc", "http")) {
          Map<String, String> l = series.get(side + " " + protocol);
          String at = side + " " + protocol;
          double n = warm.get(protocol) + 5;
          // Envoy's default boundaries, in order, then +Inf; cumulative counts ending at n
          for (String h : List.of(IstioMetrics.REQUEST_DURATION, IstioMetrics.REQUEST_BYTES,
              IstioMetrics.RESPONSE_BYTES)) {
            List<Scrape.Sample> buckets = s.samples(h + "_bucket", x -> {
              Map<String, String> m = new java.util.TreeMap<>(x.labels());
              m.remove("le");
              return m.equals(l);
            });
            List<Double> les = buckets.stream().map(b -> b.label("le"))
                .map(v -> v.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(v))
                .toList();
            List<Double> expected = new ArrayList<>(IstioMetrics.BUCKETS);
            expected.add(Double.POSITIVE_INFINITY);
            assertThat(les).as(at + " " + h).isEqualTo(expected);
            // and written as Envoy writes them (%.32g), so that le="100" selects both
            assertThat(buckets).extracting(b -> b.label("le")).as(at + " " + h)
                .containsExactly(ENVOY_LE);
            assertThat(expected).startsWith(0.5, 1.0, 5.0, 10.0, 25.0, 50.0, 100.0, 250.0)
                .endsWith(1800000.0, 3600000.0, Double.POSITIVE_INFINITY).hasSize(20);
            assertThat(buckets.get(buckets.size() - 1).value()).as(at + " " + h).isEqualTo(n);
            assertThat(buckets).extracting(Scrape.Sample::value).as(at + " " + h + " cumulative")
                .isSorted();
            assertThat(exactly(s, h + "_count", l)).as(at + " " + h).isEqualTo(n);
          }
          assertThat(exactly(s, IstioMetrics.RESPONSE_BYTES + "_sum", l)).as(at)
              .isGreaterThanOrEqualTo(n * ScriptedPod.ANSWER.length());
          if (protocol.equals("grpc")) {
            assertThat(exactly(s, IstioMetrics.REQUEST_MESSAGES_TOTAL, l)).as(at).isEqualTo(n);
            assertThat(exactly(s, IstioMetrics.RESPONSE_MESSAGES_TOTAL, l)).as(at).isEqualTo(n);
            // one SimpleRequest{request_message: "abc"} per call: 5 bytes of message each
            assertThat(exactly(s, IstioMetrics.REQUEST_BYTES + "_sum", l)).as(at)
                .isGreaterThanOrEqualTo(n * 5);
          } else {
            assertThat(s.samples(IstioMetrics.REQUEST_MESSAGES_TOTAL, l)).as(at).isEmpty();
          }
        }
      }
    }
  }

  /** A VirtualService for {@code service}: a probe route, then {@code route} for the rest. */
  static String virtualService(String service, String route) {
    return """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: %s}
        spec:
          hosts: [%s]
          http:
          - match: [{headers: {x-probe: {exact: "1"}}}]
            fault: {abort: {percentage: {value: 100}, httpStatus: 418}}
            route: [{destination: {host: %s}}]
          - route: [{destination: {host: %s}}]
        %s""".formatted(service, service, service, service, route.strip().indent(4));
  }

  /** Applies {@code yaml}: no errors (warnings say what each plane honours). */
  static void apply(String yaml) {
    assertThat(cp.applyReporting(yaml).errors()).isEmpty();
  }

  /** Waits until both clients take the probe route: the VirtualService has arrived. */
  static void awaitVirtualService(MeshPair p) {
    Map<String, String> probe = Map.of("x-probe", "1");
    await().atMost(WAIT).until(() -> !p.grpc(probe).equals("OK")
        && p.http("/probe", probe).statusCode() == 418);
  }

  static Map<String, String> source(String protocol, String service) {
    // no destination_workload: a call that got no answer never learnt the peer's metadata
    return Map.of("reporter", "source", "request_protocol", protocol,
        "destination_service_name", service, "source_workload", "productpage-v1");
  }

  @Test
  void callsShedByTheCircuitBreaker_showUO() throws Exception {
    ExecutorService callers = Executors.newCachedThreadPool();
    try (MeshPair p = new MeshPair(cp, "details", "127.0.0.3")) {
      // warnings say which limits each plane honours: both planes requests and pending, HTTP
      // also maxConnections
      assertThat(cp.applyReporting("""
          apiVersion: networking.istio.io/v1
          kind: DestinationRule
          metadata: {name: details}
          spec:
            host: details
            trafficPolicy:
              connectionPool:
                tcp: {maxConnections: 1}
                http: {http2MaxRequests: 1, http1MaxPendingRequests: 1}
          """).errors()).isEmpty();
      apply(virtualService("details", ""));
      awaitVirtualService(p);
      p.pod.holdCalls();

      CompletableFuture<String> grpcHeld = CompletableFuture.supplyAsync(p::grpc, callers);
      await().atMost(WAIT).until(() -> p.pod.inFlight.get() == 1);
      // over the request limit every other call is shed at once (the pending limit bounds
      // calls waiting for a connection, as in Envoy)
      List<CompletableFuture<String>> grpcOthers = List.of(
          CompletableFuture.supplyAsync(p::grpc, callers),
          CompletableFuture.supplyAsync(p::grpc, callers),
          CompletableFuture.supplyAsync(p::grpc, callers));
      await().atMost(WAIT).until(() -> grpcOthers.stream().filter(f -> f.isDone()).count() == 3);
      CompletableFuture<Integer> httpHeld = p.httpAsync("/held");
      await().atMost(WAIT).until(() -> p.pod.inFlight.get() == 2);
      // the same on HTTP: the one connection and the one request in flight are taken
      List<CompletableFuture<Integer>> httpOthers = List.of(p.httpAsync("/a"),
          p.httpAsync("/b"), p.httpAsync("/c"));
      await().atMost(WAIT).until(() -> httpOthers.stream().filter(f -> f.isDone()).count() == 3);
      p.pod.release();
      assertThat(grpcHeld.get()).isEqualTo("OK");
      assertThat(httpHeld.get()).isEqualTo(200);
      assertThat(grpcOthers.stream().map(CompletableFuture::join))
          .as("every call over the request limit is shed")
          .containsExactly("UNAVAILABLE", "UNAVAILABLE", "UNAVAILABLE");
      List<Integer> http = httpOthers.stream().map(CompletableFuture::join).toList();
      long httpShed = http.stream().filter(c -> c == -1).count();
      assertThat(httpShed).isEqualTo(3);

      await().atMost(WAIT).untilAsserted(() -> {
        Scrape s = p.clientScrape();
        assertThat(s.sum(REQUESTS, with(source("grpc", "details"), "response_flags", "UO",
            "response_code", "0", "grpc_response_status", "14"))).isEqualTo(3);
        assertThat(s.sum(REQUESTS, with(source("http", "details"), "response_flags", "UO",
            "response_code", "503"))).isEqualTo(httpShed);
      });
      // the server never saw a shed call
      assertThat(p.serverScrape().samples(REQUESTS, x -> !x.label("response_flags").equals("-")))
          .isEmpty();
    } finally {
      callers.shutdownNow();
    }
  }

  @Test
  void callsThatRanOutOfRetries_showURX_andTheRetriesAreCounted() throws Exception {
    try (MeshPair p = new MeshPair(cp, "reviews", "127.0.0.4")) {
      apply(virtualService("reviews", """
            retries: {attempts: 2, retryOn: "5xx,unavailable"}
          """));
      awaitVirtualService(p);
      p.pod.failNext(Integer.MAX_VALUE);
      int grpcBefore = p.pod.grpcCalls.get();
      int httpBefore = p.pod.httpCalls.get();

      assertThat(p.grpc()).isEqualTo("UNAVAILABLE");
      assertThat(p.http("/reviews/1")).isEqualTo(503);
      assertThat(p.pod.grpcCalls.get() - grpcBefore).as("first try and 2 retries").isEqualTo(3);
      assertThat(p.pod.httpCalls.get() - httpBefore).as("first try and 2 retries").isEqualTo(3);

      await().atMost(WAIT).untilAsserted(() -> {
        Scrape s = p.clientScrape();
        assertThat(s.samples(REQUESTS, with(source("grpc", "reviews"), "grpc_response_status",
            "14"))).singleElement().satisfies(x -> {
              assertThat(x.label("response_flags")).contains("URX");
              assertThat(x.value()).isEqualTo(1);
            });
        assertThat(s.samples(REQUESTS, with(source("http", "reviews"), "response_code",
            "503"))).singleElement().satisfies(x -> {
              assertThat(x.label("response_flags")).contains("URX");
              assertThat(x.value()).isEqualTo(1);
            });
        // Envoy's retry counter of the service's clusters: 2 retries per call, 2 calls
        assertThat(s.samples("envoy_cluster_upstream_rq_retry",
            x -> x.labels().values().stream().anyMatch(v -> v.contains("reviews"))))
            .extracting(Scrape.Sample::value).containsOnly(2.0);
      });
      // the server answered every attempt: 3 failed requests per protocol
      await().atMost(WAIT).untilAsserted(() -> {
        Scrape s = p.serverScrape();
        assertThat(s.sum(REQUESTS, Map.of("request_protocol", "grpc", "grpc_response_status",
            "14"))).isEqualTo(3);
        assertThat(s.sum(REQUESTS, Map.of("request_protocol", "http", "response_code", "503")))
            .isEqualTo(3);
      });
    }
  }

  @Test
  void anInjectedAbort_showsFI_onTheClientOnly() throws Exception {
    try (MeshPair p = new MeshPair(cp, "abort", "127.0.0.5")) {
      apply(virtualService("abort", """
            fault: {abort: {percentage: {value: 100}, httpStatus: 503}}
          """));
      awaitVirtualService(p);
      assertThat(p.grpc()).isEqualTo("UNAVAILABLE");
      assertThat(p.http("/x")).isEqualTo(503);

      await().atMost(WAIT).untilAsserted(() -> {
        Scrape s = p.clientScrape();
        assertThat(s.sum(REQUESTS, with(source("grpc", "abort"), "response_flags", "FI",
            "grpc_response_status", "14"))).isEqualTo(1);
        assertThat(s.sum(REQUESTS, with(source("http", "abort"), "response_flags", "FI",
            "response_code", "503"))).isEqualTo(1);
      });
      assertThat(p.pod.grpcCalls.get() + p.pod.httpCalls.get()).isZero();
    }
  }

  @Test
  void aRouteTimeout_showsUT_with504OnHttp() throws Exception {
    try (MeshPair p = new MeshPair(cp, "slow", "127.0.0.6")) {
      apply(virtualService("slow", """
            timeout: 0.3s
          """));
      awaitVirtualService(p);
      p.pod.holdCalls();
      assertThat(p.grpc()).isEqualTo("DEADLINE_EXCEEDED");
      assertThat(p.http("/x")).as("the client throws HttpTimeoutException").isEqualTo(-1);
      p.pod.release();

      await().atMost(WAIT).untilAsserted(() -> {
        Scrape s = p.clientScrape();
        assertThat(s.samples(REQUESTS, with(source("grpc", "slow"), "grpc_response_status",
            "4"))).singleElement().satisfies(x -> {
              assertThat(x.label("response_flags")).isEqualTo("UT");
              assertThat(x.value()).isEqualTo(1);
            });
        assertThat(s.samples(REQUESTS, with(source("http", "slow"), "response_flags", "UT")))
            .singleElement().satisfies(x -> {
              assertThat(x.label("response_code")).isEqualTo("504");
              assertThat(x.value()).isEqualTo(1);
            });
      });
    }
  }
}
