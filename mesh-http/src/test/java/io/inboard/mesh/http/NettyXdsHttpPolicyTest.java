package io.inboard.mesh.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inboard.mesh.testing.HttpBackendExtension;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The xDS route policy of {@link XdsHttpPolicyTest} and {@link XdsHttpRoutingTest} (retries on
 * HTTP conditions, header changes, route and per-try timeouts) with the client's tries sent by
 * the Netty transport ({@link HttpTransport#NETTY}, as an application chooses it) instead of the
 * JDK client: the engine must behave the same over either.
 */
class NettyXdsHttpPolicyTest {

  @RegisterExtension
  static final XdsSubsets xds = new XdsSubsets("netty-client", b -> { }, "v1", "v2")
      .client(b -> b.transport(HttpTransport.NETTY));

  final HttpBackendExtension v1 = xds.backend("v1");
  final HttpBackendExtension v2 = xds.backend("v2");

  @AfterEach
  void reset() {
    xds.resetBackends();
  }

  static HttpResponse<String> get(String service, String path, String... headers)
      throws Exception {
    return xds.get(service, path, headers);
  }

  static Stream<Arguments> retryCases() {
    return Stream.of(
        Arguments.of("n-retry-code-hit", "retries: {attempts: 3, retryOn: \"418\"}", 418, 4),
        Arguments.of("n-retry-code-miss", "retries: {attempts: 3, retryOn: \"418\"}", 500, 1),
        Arguments.of("n-retry-gw-hit", "retries: {attempts: 2, retryOn: \"gateway-error\"}", 502,
            3),
        Arguments.of("n-retry-default-hit", "", 503, 3));
  }

  @ParameterizedTest(name = "{0}: [{1}], status {2} -> {3} tries")
  @MethodSource("retryCases")
  void retriesOnlyConfiguredStatusUpToAttempts(String service, String retries, int status,
      int expectedTries) throws Exception {
    xds.serviceWithHttpOnlyFeatures(service, """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: SVC}
        spec:
          hosts: [SVC]
          http:
          - route: [{destination: {host: SVC, subset: v1}}]
            RETRIES
        """.replace("RETRIES", retries));
    Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
        .until(() -> get(service, "/").body().equals(v1.ip()));
    v1.status(status);
    int before = v1.calls();

    HttpResponse<String> r = get(service, "/");

    assertThat(r.statusCode()).isEqualTo(status);
    assertThat(r.version()).isEqualTo(java.net.http.HttpClient.Version.HTTP_1_1);
    assertThat(v1.calls() - before).isEqualTo(expectedTries);
  }

  @Test
  void setsAddsAndRemovesRequestAndResponseHeaders() throws Exception {
    v2.responseHeader("server", "recording");
    xds.serviceWithHttpOnlyFeatures("n-headers", """
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
        .until(() -> get("n-headers", "/", "x-mode", "prod", "x-secret", "s").headers()
            .firstValue("x-served-by").isPresent());

    HttpResponse<String> r = get("n-headers", "/", "x-mode", "prod", "x-secret", "s");

    var sent = v2.lastRequest().orElseThrow();
    assertThat(sent.header("x-mode")).hasValue("test");
    assertThat(sent.header("x-extra")).hasValue("one");
    assertThat(sent.header("x-secret")).isEmpty();
    assertThat(sent.header("x-forwarded-host")).hasValue("n-headers:" + xds.port());
    assertThat(r.headers().firstValue("x-served-by")).contains("mesh");
    assertThat(r.headers().firstValue("server")).isEmpty();
  }

  @Test
  void routeTimeoutFailsSlowCall() throws Exception {
    xds.service("n-slow", """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: SVC}
        spec:
          hosts: [SVC]
          http:
          - route: [{destination: {host: SVC, subset: v2}}]
            timeout: 300ms
        """);
    Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
        .until(() -> get("n-slow", "/").body().equals(v2.ip()));
    v2.hold();
    try {
      long start = System.nanoTime();
      assertThatThrownBy(() -> get("n-slow", "/")).isInstanceOf(HttpTimeoutException.class);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    } finally {
      v2.release();
    }
  }

  @Test
  void perTryTimeoutEndsEachTry_andTheRetryGoesOut() throws Exception {
    xds.serviceWithHttpOnlyFeatures("n-per-try", """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: SVC}
        spec:
          hosts: [SVC]
          http:
          - route: [{destination: {host: SVC, subset: v2}}]
            timeout: 10s
            retries: {attempts: 1, perTryTimeout: 200ms, retryOn: gateway-error}
        """);
    Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
        .until(() -> get("n-per-try", "/").body().equals(v2.ip()));
    v2.hold();
    try {
      int before = v2.calls();
      long start = System.nanoTime();
      assertThatThrownBy(() -> get("n-per-try", "/")).isInstanceOf(HttpTimeoutException.class);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> v2.calls() - before == 2);
    } finally {
      v2.release();
    }
  }
}
