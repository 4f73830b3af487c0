package io.inboard.mesh.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.controlplane.ControlPlane;
import io.inboard.mesh.controlplane.ServiceEndpoint;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Route policy the control plane translates from a VirtualService and the HTTP client honours:
 * retries on HTTP conditions, mirroring and header changes. v1 is on 127.0.0.2, v2 on 127.0.0.3
 * and v3 (the shadow) on 127.0.0.4, all on one port, as subsets of each test's own service.
 */
class XdsHttpPolicyTest {
  static ControlPlane cp;
  static RecordingBackend v1;
  static RecordingBackend v2;
  static RecordingBackend v3;
  static Mesh mesh;
  static MeshHttpClient http;

  @BeforeAll
  static void start() throws Exception {
    cp = ControlPlane.builder().xdsPort(0).adminPort(0).start();
    v1 = new RecordingBackend("127.0.0.2", Backend.freePort());
    v2 = new RecordingBackend("127.0.0.3", v1.port);
    v3 = new RecordingBackend("127.0.0.4", v1.port);
    mesh = Mesh.builder().workloadName("policy-client").namespace("default")
        .adminPort(-1).controlPlane(cp.xdsAddress()).build();
    http = MeshHttpClient.of(mesh);
    // a new node's first ADS request can race the control plane's first snapshot for it
    service("warmup", """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: SVC}
        spec:
          hosts: [SVC]
          http:
          - route: [{destination: {host: SVC, subset: v1}}]
        """);
    Awaitility.await().atMost(Duration.ofSeconds(45)).ignoreExceptions()
        .until(() -> get("warmup", "/").statusCode() == 200);
  }

  @AfterAll
  static void stop() {
    mesh.close();
    v1.close();
    v2.close();
    v3.close();
    cp.close();
  }

  @AfterEach
  void reset() {
    for (RecordingBackend b : new RecordingBackend[] {v1, v2, v3}) {
      b.status = 200;
      CountDownLatch h = b.hold;
      b.hold = null;
      if (h != null) {
        h.countDown();
      }
    }
  }

  static void service(String name, String virtualService) {
    String fqdn = name + ".default.svc.cluster.local";
    cp.register(new ServiceEndpoint(fqdn, v1.port, v1.ip, Map.of("version", "v1")));
    cp.register(new ServiceEndpoint(fqdn, v1.port, v2.ip, Map.of("version", "v2")));
    cp.register(new ServiceEndpoint(fqdn, v1.port, v3.ip, Map.of("version", "v3")));
    assertThat(cp.apply("""
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: %s}
        spec:
          host: %s
          subsets:
          - {name: v1, labels: {version: v1}}
          - {name: v2, labels: {version: v2}}
          - {name: v3, labels: {version: v3}}
        """.formatted(name, name)).errors()).isEmpty();
    assertThat(cp.apply(virtualService.replace("SVC", name)).errors()).isEmpty();
  }

  static HttpResponse<String> get(String service, String path, String... headers)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(
        URI.create("http://" + service + ":" + v1.port + path));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), BodyHandlers.ofString());
  }

  /** How many times v1 is hit by one call while it answers {@code status}. */
  static int triesOfOneCall(String service, int status) throws Exception {
    // the route config reaches the client asynchronously: wait until it routes to v1
    Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
        .until(() -> get(service, "/").body().equals(v1.ip));
    v1.status = status;
    int before = v1.hits.get();
    HttpResponse<String> r = get(service, "/");
    assertThat(r.statusCode()).isEqualTo(status);
    int tries = v1.hits.get() - before;
    v1.status = 200;
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
    int shadowBefore = v3.hits.get();
    Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
        .until(() -> get("mirror", "/m").body().equals(v1.ip) && v3.hits.get() > shadowBefore);
    assertThat(v3.lastHeader("x-forwarded-host"))
        .isEqualTo("mirror-shadow:" + v1.port);

    // the shadow now holds every request (up to 10 s): the call must not wait for it
    v3.hold = new CountDownLatch(1);
    int held = v3.hits.get();
    HttpResponse<String> r = get("mirror", "/m");
    assertThat(r.body()).isEqualTo(v1.ip);
    // the copy reached the shadow (it may arrive just after the call returns) and is still held
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> v3.hits.get() > held);
    assertThat(v3.hold.getCount()).isEqualTo(1);
  }

  @Test
  void setsAddsAndRemovesRequestAndResponseHeaders() throws Exception {
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
    assertThat(v2.lastHeader("x-mode")).isEqualTo("test");
    assertThat(v2.lastHeader("x-extra")).isEqualTo("one");
    assertThat(v2.lastHeader("x-secret")).isNull();
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
      boolean v1Answered = r.body().equals(v1.ip);
      fromV1 += v1Answered ? 1 : 0;
      assertThat(r.headers().firstValue("x-answered-by"))
          .isEqualTo(v1Answered ? java.util.Optional.of("v1") : java.util.Optional.empty());
    }
    assertThat(fromV1).isBetween(5, 35);
    assertThat(v1.lastHeader("x-dest")).isEqualTo("one");
    assertThat(v2.lastHeader("x-dest")).isEqualTo("two");
    assertThat(v1.lastHeader("x-route")).isEqualTo("r");
    assertThat(v2.lastHeader("x-route")).isEqualTo("r");
    // set on both levels: the route's (less specific) value is the one sent, as in Envoy
    assertThat(v1.lastHeader("x-shared")).isEqualTo("route");
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
    assertThat(cp.apply("""
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: sticky}
        spec:
          host: sticky
          trafficPolicy:
            loadBalancer: {consistentHash: {httpHeaderName: x-user}}
        """).errors()).isEmpty();
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
