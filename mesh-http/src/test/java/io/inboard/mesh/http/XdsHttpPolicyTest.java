package io.inboard.mesh.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.inboard.mesh.testing.HttpBackendExtension;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Route policy the control plane translates from a VirtualService and the HTTP client honours:
 * retries on HTTP conditions, mirroring and header changes. v1 is on 127.0.0.2, v2 on 127.0.0.3
 * and v3 (the shadow) on 127.0.0.4, all on one port, as subsets of each test's own service.
 */
class XdsHttpPolicyTest {

  @RegisterExtension
  static final XdsSubsets xds = new XdsSubsets("policy-client", b -> { }, "v1", "v2", "v3");

  final HttpBackendExtension v1 = xds.backend("v1");
  final HttpBackendExtension v2 = xds.backend("v2");
  final HttpBackendExtension v3 = xds.backend("v3");

  @AfterEach
  void reset() {
    xds.resetBackends();
  }

  /** Declares service {@code name}; the VirtualService may warn (HTTP-only features). */
  static void service(String name, String virtualService) {
    xds.serviceWithHttpOnlyFeatures(name, virtualService);
  }

  static HttpResponse<String> get(String service, String path, String... headers)
      throws Exception {
    return xds.get(service, path, headers);
  }

  /** How many times v1 is hit by one call while it answers {@code status}. */
  int triesOfOneCall(String service, int status) throws Exception {
    // the route config reaches the client asynchronously: wait until it routes to v1
    Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
        .until(() -> get(service, "/").body().equals(v1.ip()));
    v1.status(status);
    int before = v1.calls();
    HttpResponse<String> r = get(service, "/");
    assertThat(r.statusCode()).isEqualTo(status);
    int tries = v1.calls() - before;
    v1.status(200);
    return tries;
  }

  static Stream<Arguments> retryCases() {
    return Stream.of(
        // service, the route's retries (empty: none set), status v1 answers, tries expected
        // attempts counts retries: one try plus three retries
        Arguments.of("retry-code-hit", "retries: {attempts: 3, retryOn: \"418\"}", 418, 4),
        Arguments.of("retry-code-miss", "retries: {attempts: 3, retryOn: \"418\"}", 500, 1),
        Arguments.of("retry-gw-hit", "retries: {attempts: 2, retryOn: \"gateway-error\"}", 502, 3),
        Arguments.of("retry-gw-miss", "retries: {attempts: 2, retryOn: \"gateway-error\"}", 500,
            1),
        Arguments.of("retry-5xx-hit", "retries: {attempts: 1, retryOn: \"5xx\"}", 500, 2),
        Arguments.of("retry-5xx-miss", "retries: {attempts: 1, retryOn: \"5xx\"}", 404, 1),
        // a route without retries retries 503 twice, as Istio does
        Arguments.of("retry-default-hit", "", 503, 3),
        Arguments.of("retry-default-miss", "", 500, 1));
  }

  @ParameterizedTest(name = "{0}: [{1}], status {2} -> {3} tries")
  @MethodSource("retryCases")
  void retriesOnlyConfiguredStatusUpToAttempts(String service, String retries, int status,
      int expectedTries) throws Exception {
    service(service, """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: SVC}
        spec:
          hosts: [SVC]
          http:
          - route: [{destination: {host: SVC, subset: v1}}]
            RETRIES
        """.replace("RETRIES", retries));
    assertThat(triesOfOneCall(service, status)).isEqualTo(expectedTries);
  }

  @Test
  void mirrorsACopyWithShadowHostAndCallerNeverWaitsForIt() throws Exception {
    service("mirror", """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: SVC}
        spec:
          hosts: [SVC]
          http:
          - route: [{destination: {host: SVC, subset: v1}}]
            mirror: {host: SVC, subset: v3}
            mirrorPercentage: {value: 100}
        """);
    // the mirror cluster's endpoints arrive after the route: copies start once they have
    int shadowBefore = v3.calls();
    Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
        .until(() -> get("mirror", "/m").body().equals(v1.ip()) && v3.calls() > shadowBefore);
    assertThat(v3.lastRequest().orElseThrow().header("x-forwarded-host"))
        .hasValue("mirror-shadow:" + xds.port());

    // the shadow now holds every request (up to 30 s): the call must not wait for it
    AtomicInteger shadowAnswered = new AtomicInteger();
    v3.body(request -> {
      shadowAnswered.incrementAndGet();
      return v3.ip();
    });
    v3.hold();
    int held = v3.calls();
    long start = System.nanoTime();
    HttpResponse<String> r = get("mirror", "/m");
    assertThat(r.body()).isEqualTo(v1.ip());
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    // the copy reached the shadow (it may arrive just after the call returns) and is still held
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> v3.calls() > held);
    assertThat(shadowAnswered).hasValue(0);
  }

  @Test
  void setsAddsAndRemovesRequestAndResponseHeaders() throws Exception {
    v2.responseHeader("server", "recording");
    service("headers", """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: SVC}
        spec:
          hosts: [SVC]
          http:
          - route: [{destination: {host: SVC, subset: v2}}]
            headers:
              request: {set: {x-mode: test}, add: {x-extra: one}, remove: [x-secret]}
              response: {set: {x-served-by: mesh}, remove: [server]}
        """);
    Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
        .until(() -> get("headers", "/", "x-mode", "prod", "x-secret", "s").headers()
            .firstValue("x-served-by").isPresent());

    HttpResponse<String> r = get("headers", "/", "x-mode", "prod", "x-secret", "s");
    assertThat(v2.lastRequest().orElseThrow().header("x-mode")).hasValue("test");
    assertThat(v2.lastRequest().orElseThrow().header("x-extra")).hasValue("one");
    assertThat(v2.lastRequest().orElseThrow().header("x-secret")).isEmpty();
    assertThat(r.headers().firstValue("x-served-by")).contains("mesh");
    assertThat(r.headers().firstValue("server")).isEmpty();
  }

  @Test
  void eachDestinationsOwnHeaderChangesApplyOnlyToCallsSentThere_routeLevelOnesWin()
      throws Exception {
    service("dest-headers", """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: SVC}
        spec:
          hosts: [SVC]
          http:
          - headers:
              request: {set: {x-route: r, x-shared: route}}
            route:
            - destination: {host: SVC, subset: v1}
              weight: 50
              headers:
                request: {set: {x-dest: one, x-shared: dest}}
                response: {set: {x-answered-by: v1}}
            - destination: {host: SVC, subset: v2}
              weight: 50
              headers:
                request: {set: {x-dest: two}}
        """);
    Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
        get("dest-headers", "/").headers().firstValue("x-answered-by").isPresent());
    int fromV1 = 0;
    for (int i = 0; i < 40; i++) {
      HttpResponse<String> r = get("dest-headers", "/");
      boolean v1Answered = r.body().equals(v1.ip());
      fromV1 += v1Answered ? 1 : 0;
      assertThat(r.headers().firstValue("x-answered-by"))
          .isEqualTo(v1Answered ? java.util.Optional.of("v1") : java.util.Optional.empty());
    }
    assertThat(fromV1).isBetween(5, 35);
    assertThat(v1.lastRequest().orElseThrow().header("x-dest")).hasValue("one");
    assertThat(v2.lastRequest().orElseThrow().header("x-dest")).hasValue("two");
    assertThat(v1.lastRequest().orElseThrow().header("x-route")).hasValue("r");
    assertThat(v2.lastRequest().orElseThrow().header("x-route")).hasValue("r");
    // set on both levels: the route's (less specific) value is the one sent, as in Envoy
    assertThat(v1.lastRequest().orElseThrow().header("x-shared")).hasValue("route");
  }

  @Test
  void ringHashOnHeaderKeepsEachValueOnOneBackend() throws Exception {
    service("sticky", """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: SVC}
        spec:
          hosts: [SVC]
          http:
          - route: [{destination: {host: SVC}}]
        """);
    xds.cp().apply("""
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: sticky}
        spec:
          host: sticky
          trafficPolicy:
            loadBalancer: {consistentHash: {httpHeaderName: x-user}}
        """);
    // the ring-hash cluster replaces round robin asynchronously: wait until one value sticks
    Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
      String first = get("sticky", "/", "x-user", "probe").body();
      for (int i = 0; i < 9; i++) {
        if (!get("sticky", "/", "x-user", "probe").body().equals(first)) {
          return false;
        }
      }
      return true;
    });

    java.util.Set<String> backendsUsed = new java.util.HashSet<>();
    for (int user = 0; user < 20; user++) {
      String first = get("sticky", "/", "x-user", "user-" + user).body();
      for (int i = 0; i < 10; i++) {
        assertThat(get("sticky", "/", "x-user", "user-" + user).body())
            .as("user-%d call %d", user, i).isEqualTo(first);
      }
      backendsUsed.add(first);
    }
    // 20 values all hashing to one of 3 backends has probability 3 * (1/3)^20: about 1e-9
    assertThat(backendsUsed).hasSizeGreaterThan(1);
  }
}
