package io.inboard.e2e;

import static io.inboard.e2e.ConformanceBed.V1;
import static io.inboard.e2e.ConformanceBed.V2;
import static io.inboard.e2e.ConformanceBed.V3;
import static io.inboard.e2e.ConformanceBed.concurrent;
import static io.inboard.e2e.ConformanceBed.sequential;
import static io.inboard.e2e.DataPlane.STREAMING;
import static io.inboard.e2e.DataPlane.UNARY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The rows of the conformance table. URI matches are written against the gRPC method paths,
 * which the HTTP plane sends as its URI paths, so one VirtualService serves both planes.
 */
final class Scenarios {

  private Scenarios() {}

  private static final String TO_V1 = "  - route: [{destination: {host: SVC, subset: v1}}]\n";

  static final Scenario HEADER_ROUTING = new Scenario("header-routing", vs("""
        - match: [{headers: {end-user: {exact: jason}}}]
          route: [{destination: {host: SVC, subset: v2}}]
      """ + TO_V1), (bed, plane, svc) -> {
        assertThat(sequential(plane, svc, UNARY, Map.of("end-user", "jason"), 10))
            .extracting(Outcome::backend).containsOnly(V2);
        assertThat(sequential(plane, svc, UNARY, Map.of(), 10))
            .extracting(Outcome::backend).containsOnly(V1);
      });

  // 400 calls: the binomial sd of v2's share is 2 points at 20 % and 2.5 at 50 %; the
  // tolerance is 4 sd, so a correct split fails about once in 15 000 runs.
  static final Scenario SPLIT_80_20 = split(80, 0.12, 0.28);
  static final Scenario SPLIT_50_50 = split(50, 0.40, 0.60);

  static final Scenario PREFIX_ROUTE = new Scenario("prefix-route", vs("""
        - match: [{uri: {prefix: /grpc.testing.SimpleService/Unary}}]
          route: [{destination: {host: SVC, subset: v2}}]
      """ + TO_V1), (bed, plane, svc) -> {
        assertThat(sequential(plane, svc, UNARY, Map.of(), 5))
            .extracting(Outcome::backend).containsOnly(V2);
        assertThat(sequential(plane, svc, STREAMING, Map.of(), 5))
            .extracting(Outcome::backend).containsOnly(V1);
      });

  static final Scenario REGEX_ROUTE = new Scenario("regex-route", vs("""
        - match: [{uri: {regex: '/grpc[.]testing[.]SimpleService/Server[A-Za-z]+Rpc'}}]
          route: [{destination: {host: SVC, subset: v2}}]
      """ + TO_V1), (bed, plane, svc) -> {
        assertThat(sequential(plane, svc, STREAMING, Map.of(), 5))
            .extracting(Outcome::backend).containsOnly(V2);
        assertThat(sequential(plane, svc, UNARY, Map.of(), 5))
            .extracting(Outcome::backend).containsOnly(V1);
      });

  static final Scenario TIMEOUT = new Scenario("route-timeout", vs("""
        - route: [{destination: {host: SVC, subset: v1}}]
          timeout: 300ms
      """), (bed, plane, svc) -> {
        bed.v1.delay(Duration.ofSeconds(3));
        Outcome o = plane.call(svc, UNARY, Map.of()).get();
        assertThat(o.status()).isEqualTo(Outcome.Status.DEADLINE_EXCEEDED);
        // the pod answers after 3 s: ending well before proves the route's 300 ms applied
        assertThat(o.millis()).isLessThan(2500);
      });

  // retryOn names both planes' conditions: gRPC honours the gRPC status names (unavailable),
  // HTTP the HTTP ones (gateway-error: 502, 503, 504); each ignores the other's, as Envoy does.
  // Mapping: gRPC UNAVAILABLE is HTTP 503, gRPC INTERNAL is HTTP 500.
  static final Scenario RETRIES = new Scenario("retries", vs("""
        - route: [{destination: {host: SVC, subset: v1}}]
          retries: {attempts: 3, retryOn: 'unavailable,gateway-error', perTryTimeout: 2s}
      """), (bed, plane, svc) -> {
        bed.v1.failWith(Pod.Failure.UNAVAILABLE);
        int before = bed.v1.calls();
        assertThat(plane.call(svc, UNARY, Map.of()).get().status())
            .isEqualTo(Outcome.Status.UNAVAILABLE);
        // the first try and three retries
        assertThat(bed.v1.calls() - before).isEqualTo(4);
        bed.v1.failWith(Pod.Failure.INTERNAL);
        before = bed.v1.calls();
        assertThat(plane.call(svc, UNARY, Map.of()).get().status())
            .isEqualTo(Outcome.Status.INTERNAL);
        // INTERNAL (HTTP 500) is not a configured condition: no retry
        assertThat(bed.v1.calls() - before).isEqualTo(1);
      });

  // 200 calls at 50 %: sd 7 calls; 30 is over 4 sd.
  static final Scenario FAULT_ABORT = new Scenario("fault-abort-50-percent", vs("""
        - route: [{destination: {host: SVC, subset: v1}}]
          fault: {abort: {httpStatus: 503, percentage: {value: 50}}}
      """), (bed, plane, svc) -> {
        List<Outcome> out = sequential(plane, svc, UNARY, Map.of(), 200);
        long aborted = out.stream().filter(o -> o.status() == Outcome.Status.UNAVAILABLE).count();
        long ok = out.stream().filter(o -> o.status() == Outcome.Status.OK).count();
        assertThat(aborted).isBetween(70L, 130L);
        assertThat(aborted + ok).isEqualTo(200);
      });

  // 100 concurrent calls at 50 %: sd 5 calls; 20 is 4 sd. Undelayed calls end within a few
  // hundred ms even under load, delayed ones after 1000 ms.
  static final Scenario FAULT_DELAY = new Scenario("fault-delay-50-percent", vs("""
        - route: [{destination: {host: SVC, subset: v1}}]
          fault: {delay: {fixedDelay: 1s, percentage: {value: 50}}}
      """), (bed, plane, svc) -> {
        plane.call(svc, UNARY, Map.of()).get();
        List<Outcome> out = concurrent(plane, svc, UNARY, 100);
        assertThat(out).extracting(Outcome::status).containsOnly(Outcome.Status.OK);
        long delayed = out.stream().filter(o -> o.millis() >= 950).count();
        assertThat(delayed).isBetween(30L, 70L);
      });

  static final String TO_SERVICE = "  - route: [{destination: {host: SVC}}]\n";

  // A limit of one request in flight (http2MaxRequests: 1), per cluster in the client process,
  // as Envoy's circuit breakers: of 10 concurrent calls to pods that answer after 2 s, exactly
  // 1 succeeds and 9 are shed with UNAVAILABLE (HTTP: the client's 503-equivalent) in under 1 s
  // (loopback sheds in milliseconds; 1 s allows for a slow machine and stays well below the 2 s
  // the admitted call takes), counted in the client's istio_requests_total with response_flags
  // "UO". http1MaxPendingRequests: 1 changes nothing here: as in Envoy it bounds calls waiting
  // for a connection (HTTP/1.1: all maxConnections busy; gRPC: no connection ready yet), not
  // calls over the request limit; each plane's module tests cover it (AdmissionControlTest,
  // ConnectionPoolAdmissionTest). gRPC clients enforce the limits in Inboard's route filter and
  // cluster policy; HTTP clients in their admission control.
  static final Scenario CONNECTION_LIMIT = new Scenario("connection-limit-sheds-burst",
      vs(TO_SERVICE),
      "{connectionPool: {http: {http2MaxRequests: 1, http1MaxPendingRequests: 1}}}",
      (bed, plane, svc) -> {
        // config and a ready connection in place first, so that the burst meets the limits
        // alone
        assertThat(plane.call(svc, UNARY, Map.of()).get(30, TimeUnit.SECONDS).status())
            .isEqualTo(Outcome.Status.OK);
        bed.v1.delay(Duration.ofSeconds(2));
        bed.v2.delay(Duration.ofSeconds(2));
        List<Outcome> out = concurrent(plane, svc, UNARY, 10);
        // one call in flight, nine shed at once
        List<Outcome> ok = out.stream().filter(o -> o.status() == Outcome.Status.OK).toList();
        List<Outcome> shed = out.stream()
            .filter(o -> o.status() != Outcome.Status.OK).toList();
        assertThat(ok).hasSize(1);
        assertThat(shed).hasSize(9).allSatisfy(o -> {
          assertThat(o.status()).isEqualTo(Outcome.Status.UNAVAILABLE);
          assertThat(o.millis()).isLessThan(1000);
        });
        // and the client's metrics flag them UO (upstream overflow), as Envoy's would
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
            .until(() -> bed.clientRequests(svc, "UO") == 9);
      });

  // A third pod (v3) that fails every call is ejected, gets no calls while out, and once it
  // answers again and its ejection time is over, gets calls again. gRPC enforces
  // consecutive5xxErrors: 3 as failure-percentage ejection (at least 3 calls in one 1 s
  // interval, all failed), HTTP as Envoy's consecutive-5xx; calls one after another to a pod
  // that fails every call satisfy both. Round robin over 3 pods gives v3 about 3 of 9 calls, so
  // 9 calls of which v3 gets none show it out; baseEjectionTime is 2 s, and 60 s bounds each
  // phase on a slow machine.
  static final Scenario EJECTION = new Scenario("ejection-and-recovery", vs(TO_SERVICE),
      "{outlierDetection: {consecutive5xxErrors: 3, interval: 1s, baseEjectionTime: 2s,"
          + " maxEjectionPercent: 100}}",
      (bed, plane, svc) -> {
        bed.v3.failWith(Pod.Failure.UNAVAILABLE);
        bed.addV3(svc);
        // ejected: after v3 received (and failed) at least the 3 calls that eject it, 9 calls
        // all answered by v1 and v2, none reaching v3
        await().atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO)
            .pollInterval(Duration.ofMillis(50)).until(() -> {
              int before = bed.v3.calls();
              List<Outcome> out = sequential(plane, svc, UNARY, Map.of(), 9);
              return before >= 3 && bed.v3.calls() == before
                  && out.stream().allMatch(o -> o.status() == Outcome.Status.OK);
            });
        bed.v3.failWith(null);
        // back after its ejection time: v3 answers calls again
        await().atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO)
            .pollInterval(Duration.ofMillis(50)).until(() ->
                sequential(plane, svc, UNARY, Map.of(), 9).stream()
                    .anyMatch(o -> V3.equals(o.backend())));
        // and is in rotation: round robin gives it 10 of 30; 5 allows for a stray ejection
        // interval or reconnect, not for a pod left out
        List<Outcome> out = sequential(plane, svc, UNARY, Map.of(), 30);
        assertThat(out).extracting(Outcome::status).containsOnly(Outcome.Status.OK);
        assertThat(out.stream().filter(o -> V3.equals(o.backend())).count()).isBetween(5L, 15L);
      });

  static final List<Scenario> ALL = Stream.concat(Stream.of(HEADER_ROUTING,
      SPLIT_80_20, SPLIT_50_50, PREFIX_ROUTE, REGEX_ROUTE, TIMEOUT, RETRIES, FAULT_ABORT,
      FAULT_DELAY, CONNECTION_LIMIT, EJECTION), ParityScenarios.ALL.stream()).toList();

  private static Scenario split(int v1Weight, double low, double high) {
    int v2Weight = 100 - v1Weight;
    return new Scenario("split-" + v1Weight + "-" + v2Weight, vs("""
          - route:
            - {destination: {host: SVC, subset: v1}, weight: %d}
            - {destination: {host: SVC, subset: v2}, weight: %d}
        """.formatted(v1Weight, v2Weight)), (bed, plane, svc) -> {
          List<Outcome> out = sequential(plane, svc, UNARY, Map.of(), 400);
          long toV2 = out.stream().filter(o -> V2.equals(o.backend())).count();
          assertThat(toV2 / 400.0).isBetween(low, high);
        });
  }

  static String vs(String httpRoutes) {
    return """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: SVC}
        spec:
          hosts: [SVC]
          http:
        """ + httpRoutes.indent(2);
  }
}
