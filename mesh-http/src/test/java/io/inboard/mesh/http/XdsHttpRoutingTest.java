package io.inboard.mesh.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.ServiceUnavailableException;
import io.inboard.mesh.testing.HttpBackendExtension;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The HTTP client of a mesh in xDS mode, routed by a real control plane in this JVM: v1 on
 * 127.0.0.2 and v2 on 127.0.0.3 (same port) as subsets of each test's own service.
 */
class XdsHttpRoutingTest {

  @RegisterExtension
  static final XdsSubsets xds = new XdsSubsets("productpage-v1",
      b -> b.label("app", "productpage"), "v1", "v2");

  final HttpBackendExtension v1 = xds.backend("v1");
  final HttpBackendExtension v2 = xds.backend("v2");

  static void service(String name, String virtualService) {
    xds.service(name, virtualService);
  }

  static HttpResponse<String> get(String service, String path, String... headers)
      throws Exception {
    return xds.get(service, path, headers);
  }

  @Test
  void routesHeaderMatchToSubsetAndTheRestToDefault() throws Exception {
    service("hdr", """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: SVC}
        spec:
          hosts: [SVC]
          http:
          - match: [{headers: {end-user: {exact: jason}}}]
            route: [{destination: {host: SVC, subset: v2}}]
          - route: [{destination: {host: SVC, subset: v1}}]
        """);
    for (int i = 0; i < 10; i++) {
      assertThat(get("hdr", "/r", "end-user", "jason").body()).isEqualTo(v2.ip());
      assertThat(get("hdr", "/r").body()).isEqualTo(v1.ip());
    }
  }

  @Test
  void routesByMethodAndQueryParameter() throws Exception {
    xds.serviceWithHttpOnlyFeatures("mq", """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: SVC}
        spec:
          hosts: [SVC]
          http:
          - match: [{method: {exact: DELETE}}, {queryParams: {canary: {exact: "yes"}}}]
            route: [{destination: {host: SVC, subset: v2}}]
          - route: [{destination: {host: SVC, subset: v1}}]
        """);
    URI plain = URI.create("http://mq:" + xds.port() + "/items/1");
    for (int i = 0; i < 5; i++) {
      assertThat(xds.http().send(HttpRequest.newBuilder(plain).DELETE().build(),
          BodyHandlers.ofString()).body()).isEqualTo(v2.ip());
      assertThat(get("mq", "/items/1?canary=yes").body()).isEqualTo(v2.ip());
      assertThat(get("mq", "/items/1?canary=no").body()).isEqualTo(v1.ip());
      assertThat(get("mq", "/items/1").body()).isEqualTo(v1.ip());
    }
  }

  @Test
  void splitsEightyTwentyWithinEightPoints() throws Exception {
    service("split", """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: SVC}
        spec:
          hosts: [SVC]
          http:
          - route:
            - {destination: {host: SVC, subset: v1}, weight: 80}
            - {destination: {host: SVC, subset: v2}, weight: 20}
        """);
    int n = 400;
    int toV2 = 0;
    for (int i = 0; i < n; i++) {
      if (get("split", "/").body().equals(v2.ip())) {
        toV2++;
      }
    }
    // binomial sd at p=0.2, n=400 is 2 points: 8 points is 4 sd
    assertThat(toV2 / (double) n).isBetween(0.12, 0.28);
  }

  @Test
  void routesPrefixAndRegexUris() throws Exception {
    service("uri", """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: SVC}
        spec:
          hosts: [SVC]
          http:
          - match: [{uri: {prefix: /api/v2}}]
            route: [{destination: {host: SVC, subset: v2}}]
          - match: [{uri: {regex: '/items/[0-9]+'}}]
            route: [{destination: {host: SVC, subset: v2}}]
          - route: [{destination: {host: SVC, subset: v1}}]
        """);
    assertThat(get("uri", "/api/v2/x").body()).isEqualTo(v2.ip());
    assertThat(get("uri", "/items/42").body()).isEqualTo(v2.ip());
    assertThat(get("uri", "/items/abc").body()).isEqualTo(v1.ip());
    assertThat(get("uri", "/api/v1").body()).isEqualTo(v1.ip());
  }

  @Test
  void faultAbortAnswersConfiguredStatusWithoutCallingBackend() throws Exception {
    service("abort", """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: SVC}
        spec:
          hosts: [SVC]
          http:
          - fault: {abort: {httpStatus: 418, percentage: {value: 100}}}
            route: [{destination: {host: SVC, subset: v1}}]
        """);
    int before = v1.calls();
    HttpResponse<String> r = get("abort", "/");
    assertThat(r.statusCode()).isEqualTo(418);
    assertThat(r.headers().firstValue("x-inboard-local-reply")).contains("fault_abort");
    assertThat(v1.calls()).isEqualTo(before);
  }

  @Test
  void routeTimeoutFailsSlowCall() throws Exception {
    service("slow", """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: SVC}
        spec:
          hosts: [SVC]
          http:
          - route: [{destination: {host: SVC, subset: v2}}]
            timeout: 300ms
        """);
    assertThat(get("slow", "/").body()).isEqualTo(v2.ip());
    v2.hold();
    try {
      long start = System.nanoTime();
      assertThatThrownBy(() -> get("slow", "/")).isInstanceOf(HttpTimeoutException.class);
      // the backend holds for 30 s: failing well before proves the route's 300 ms applied
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    } finally {
      v2.release();
    }
  }

  @Test
  void firstCallFailsNamingTheMissingListenerAfterTheBound() {
    try (Mesh other = Mesh.builder().workloadName("lonely").namespace("default").adminPort(-1)
        .controlPlane(xds.cp().xdsAddress()).initialConfigTimeout(Duration.ofMillis(500))
        .build()) {
      MeshHttpClient client = MeshHttpClient.of(other);
      assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(
          URI.create("http://nowhere:9080/")).build(), BodyHandlers.ofString()))
          .isInstanceOf(ServiceUnavailableException.class)
          .hasMessageContaining("listener 'nowhere.default.svc.cluster.local:9080'")
          .hasMessageContaining(xds.cp().xdsAddress());
    }
  }
}
