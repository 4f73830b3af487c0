package io.inboard.e2e;

import static io.inboard.e2e.ConformanceBed.V1;
import static io.inboard.e2e.ConformanceBed.V2;
import static io.inboard.e2e.ConformanceBed.V3;
import static io.inboard.e2e.ConformanceBed.sequential;
import static io.inboard.e2e.DataPlane.UNARY;
import static io.inboard.e2e.Scenarios.TO_SERVICE;
import static io.inboard.e2e.Scenarios.vs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The rows that grpc-xds alone cannot honour and Inboard's gRPC extensions make hold on both
 * planes (issue 13): header changes, per-try timeouts, consecutive-error ejection (with
 * minHealthPercent's panic) and mirroring.
 */
final class ParityScenarios {

  private ParityScenarios() {}

  // Route-level changes both ways, and a destination's own; the backend's x-backend is removed
  // on the way back and the caller's x-gone on the way out.
  static final Scenario HEADER_CHANGES = new Scenario("header-changes-both-ways", vs("""
        - headers:
            request: {set: {x-set: a}, add: {x-add: b}, remove: [x-gone]}
            response: {set: {x-resp: c}, remove: [x-backend]}
          route:
          - destination: {host: SVC, subset: v1}
            headers: {request: {set: {x-dest: d}}, response: {add: {x-dest-resp: e}}}
      """), (bed, plane, svc) -> {
        bed.v1.responseHeader("x-backend", "secret");
        Outcome o = plane.call(svc, UNARY, Map.of("x-gone", "1", "x-set", "old"))
            .get(30, TimeUnit.SECONDS);
        assertThat(o.status()).isEqualTo(Outcome.Status.OK);
        DataPlane.Kind k = plane.kind();
        assertThat(bed.v1.lastRequestHeader(k, "x-set")).isEqualTo("a");
        assertThat(bed.v1.lastRequestHeader(k, "x-add")).isEqualTo("b");
        assertThat(bed.v1.lastRequestHeader(k, "x-dest")).isEqualTo("d");
        assertThat(bed.v1.lastRequestHeader(k, "x-gone")).isNull();
        assertThat(o.headers()).containsEntry("x-resp", "c").containsEntry("x-dest-resp", "e")
            .doesNotContainKey("x-backend");
      });

  // v1 answers after 5 s, v2 at once. Each call's first try goes to v1 (round robin alternates,
  // and the retry took v2), times out after 1 s and is retried on v2: every call is OK from v2
  // in well under v1's 5 s. Without a per-try bound each call would wait for v1. The bound is
  // 1 s, not less, so that a try to the healthy v2 never hits it on a loaded machine.
  static final Scenario PER_TRY_TIMEOUT = new Scenario("per-try-timeout-retries-elsewhere", vs("""
        - route: [{destination: {host: SVC}}]
          retries: {attempts: 2, perTryTimeout: 1s,
                    retryOn: 'unavailable,deadline-exceeded,gateway-error'}
      """), (bed, plane, svc) -> {
        assertThat(plane.call(svc, UNARY, Map.of()).get(30, TimeUnit.SECONDS).status())
            .isEqualTo(Outcome.Status.OK);
        bed.v1.delay(Duration.ofSeconds(5));
        int before = bed.v1.calls();
        List<Outcome> out = sequential(plane, svc, UNARY, Map.of(), 6);
        assertThat(out).extracting(Outcome::status).containsOnly(Outcome.Status.OK);
        assertThat(out).extracting(Outcome::backend).containsOnly(V2);
        assertThat(out).allSatisfy(o -> assertThat(o.millis()).isLessThan(3500));
        assertThat(bed.v1.calls() - before).isPositive();
      });

  // Tries of 300 ms inside a 1 s route timeout against a pod that answers after 5 s: the call
  // ends DEADLINE_EXCEEDED at about 1 s after more than one try and fewer than six.
  static final Scenario ROUTE_TIMEOUT_BOUNDS_TRIES = new Scenario("route-timeout-bounds-tries",
      vs("""
        - route: [{destination: {host: SVC, subset: v1}}]
          timeout: 1s
          retries: {attempts: 5, perTryTimeout: 300ms,
                    retryOn: 'unavailable,deadline-exceeded,gateway-error'}
      """), (bed, plane, svc) -> {
        assertThat(plane.call(svc, UNARY, Map.of()).get(30, TimeUnit.SECONDS).status())
            .isEqualTo(Outcome.Status.OK);
        bed.v1.delay(Duration.ofSeconds(5));
        int before = bed.v1.calls();
        Outcome o = plane.call(svc, UNARY, Map.of()).get(30, TimeUnit.SECONDS);
        assertThat(o.status()).isEqualTo(Outcome.Status.DEADLINE_EXCEEDED);
        assertThat(o.millis()).isBetween(900L, 2500L);
        assertThat(bed.v1.calls() - before).isBetween(2, 5);
      });

  // consecutiveGatewayErrors counts 502/503/504 (gRPC UNAVAILABLE, DEADLINE_EXCEEDED) only: a
  // pod failing INTERNAL (500) stays in rotation, the same pod failing UNAVAILABLE is ejected.
  static final Scenario GATEWAY_ERRORS = new Scenario("consecutive-gateway-errors-eject",
      vs(TO_SERVICE), "{outlierDetection: {consecutive5xxErrors: 0, consecutiveGatewayErrors: 3,"
          + " interval: 1s, baseEjectionTime: 30s, maxEjectionPercent: 100}}",
      (bed, plane, svc) -> {
        bed.v3.failWith(Pod.Failure.INTERNAL);
        bed.addV3(svc);
        await().atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO)
            .pollInterval(Duration.ofMillis(50))
            .until(() -> sequential(plane, svc, UNARY, Map.of(), 3).stream()
                .anyMatch(o -> o.status() == Outcome.Status.INTERNAL));
        // 30 calls: round robin sends v3 about 10, far more than 3 in a row, and it stays in
        int before = bed.v3.calls();
        sequential(plane, svc, UNARY, Map.of(), 30);
        assertThat(bed.v3.calls() - before).isGreaterThanOrEqualTo(5);
        bed.v3.failWith(Pod.Failure.UNAVAILABLE);
        await().atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO)
            .pollInterval(Duration.ofMillis(50)).until(() -> {
              int b = bed.v3.calls();
              List<Outcome> out = sequential(plane, svc, UNARY, Map.of(), 9);
              return bed.v3.calls() == b
                  && out.stream().allMatch(o -> o.status() == Outcome.Status.OK);
            });
      });

  // Two of three pods fail every call; maxEjectionPercent 34 lets one of three out at a time
  // (a second would make 67 %): one failing pod is ejected, the other keeps getting calls.
  static final Scenario MAX_EJECTION_PERCENT = new Scenario("max-ejection-percent-caps-ejections",
      vs(TO_SERVICE), "{outlierDetection: {consecutive5xxErrors: 2, interval: 1s,"
          + " baseEjectionTime: 30s, maxEjectionPercent: 34}}",
      (bed, plane, svc) -> {
        bed.v2.failWith(Pod.Failure.INTERNAL);
        bed.v3.failWith(Pod.Failure.INTERNAL);
        bed.addV3(svc);
        await().atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO)
            .pollInterval(Duration.ofMillis(50)).until(() -> {
              int b2 = bed.v2.calls();
              int b3 = bed.v3.calls();
              sequential(plane, svc, UNARY, Map.of(), 12);
              return (bed.v2.calls() == b2) != (bed.v3.calls() == b3);
            });
        // the cap holds: over 30 more calls, still exactly one of the two gets none
        int b2 = bed.v2.calls();
        int b3 = bed.v3.calls();
        List<Outcome> out = sequential(plane, svc, UNARY, Map.of(), 30);
        assertThat((bed.v2.calls() == b2) != (bed.v3.calls() == b3)).isTrue();
        assertThat(out).extracting(Outcome::backend).contains(V1);
      });

  // the copy of the call that checks the config may land after counting starts: 41 allowed
  static final Scenario MIRROR_ALL = mirror(100, 40, 40, 41);
  // 200 calls at 50 %: sd 7 copies; 70..130 is over 4 sd either way.
  static final Scenario MIRROR_HALF = mirror(50, 200, 70, 130);

  /**
   * Calls to v1 mirrored to v2 at {@code percent}: every call is answered by v1 alone, and v2
   * receives between {@code low} and {@code high} copies of {@code calls} (fire-and-forget, so
   * counted once at least {@code low} landed; {@code high} allows for the copy of the last call
   * before counting, which may land after the count began).
   */
  private static Scenario mirror(int percent, int calls, int low, int high) {
    return new Scenario("mirror-" + percent + "-percent", vs("""
          - route: [{destination: {host: SVC, subset: v1}}]
            mirror: {host: SVC, subset: v2}
            mirrorPercentage: {value: %d}
        """.formatted(percent)), (bed, plane, svc) -> {
          // copies start once the mirror's cluster has endpoints (before that Envoy, and the
          // HTTP plane, skip them): call until one lands, then count
          int start = bed.v2.calls();
          await().atMost(Duration.ofSeconds(30)).until(() -> {
            assertThat(plane.call(svc, UNARY, Map.of()).get(30, TimeUnit.SECONDS).status())
                .isEqualTo(Outcome.Status.OK);
            return bed.v2.calls() > start;
          });
          int before = bed.v2.calls();
          List<Outcome> out = sequential(plane, svc, UNARY, Map.of(), calls);
          assertThat(out).extracting(Outcome::status).containsOnly(Outcome.Status.OK);
          assertThat(out).extracting(Outcome::backend).containsOnly(V1);
          await().atMost(Duration.ofSeconds(20)).until(() -> bed.v2.calls() - before >= low);
          assertThat(bed.v2.calls() - before).isLessThanOrEqualTo(high);
        });
  }

  // minHealthPercent 50 over three pods, any number of which may be out: v3 fails and is ejected
  // (two of three left in, 67 %, no panic: v3 gets no calls). Then v2 fails and is ejected too:
  // one of three left in, 33 %, is below 50, so the cluster panics and calls go to all three
  // pods again, the two ejected ones included, long before v3's two minutes are up. Without
  // minHealthPercent only v1 would get calls.
  static final Scenario MIN_HEALTH_PERCENT = new Scenario("min-health-percent-panics",
      vs(TO_SERVICE), "{outlierDetection: {consecutive5xxErrors: 2, interval: 1s,"
          + " baseEjectionTime: 120s, maxEjectionPercent: 100, minHealthPercent: 50}}",
      (bed, plane, svc) -> {
        bed.v3.failWith(Pod.Failure.INTERNAL);
        bed.addV3(svc);
        await().atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO)
            .pollInterval(Duration.ofMillis(50)).until(() -> {
              int b3 = bed.v3.calls();
              List<Outcome> out = sequential(plane, svc, UNARY, Map.of(), 9);
              return bed.v3.calls() == b3
                  && out.stream().allMatch(o -> o.status() == Outcome.Status.OK);
            });
        bed.v2.failWith(Pod.Failure.INTERNAL);
        await().atMost(Duration.ofSeconds(40)).pollDelay(Duration.ZERO)
            .pollInterval(Duration.ofMillis(50)).until(() -> {
              int b1 = bed.v1.calls();
              int b2 = bed.v2.calls();
              int b3 = bed.v3.calls();
              sequential(plane, svc, UNARY, Map.of(), 12);
              return bed.v1.calls() > b1 && bed.v2.calls() > b2 && bed.v3.calls() > b3;
            });
        // and it stays so while both are out: over 30 more calls each pod gets some
        int b2 = bed.v2.calls();
        int b3 = bed.v3.calls();
        List<Outcome> out = sequential(plane, svc, UNARY, Map.of(), 30);
        assertThat(out).extracting(Outcome::backend).contains(V1);
        assertThat(bed.v2.calls() - b2).isPositive();
        assertThat(bed.v3.calls() - b3).isPositive();
      });

  static final List<Scenario> ALL = List.of(HEADER_CHANGES, PER_TRY_TIMEOUT,
      ROUTE_TIMEOUT_BOUNDS_TRIES, GATEWAY_ERRORS, MAX_EJECTION_PERCENT, MIRROR_ALL, MIRROR_HALF,
      MIN_HEALTH_PERCENT);
}
