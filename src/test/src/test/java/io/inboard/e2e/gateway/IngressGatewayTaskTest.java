package io.inboard.e2e.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.inboard.mesh.controlplane.ControlPlane;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Istio's "Ingress Gateways" task (istio.io/latest/docs/tasks/traffic-management/ingress/
 * ingress-control/), adapted: a Gateway for {@code httpbin.example.com}, a VirtualService bound
 * to it that sends {@code /status} and {@code /delay} to httpbin, and {@code curl --resolve}'s
 * requests to the gateway. The server port is a free one rather than 80.
 */
class IngressGatewayTaskTest {

  private static GatewayTaskBed bed;
  private static ControlPlane controlPlane;
  private static Httpbin httpbin;
  private static LocalGateway gateway;
  private static int port;

  @BeforeAll
  static void start() throws Exception {
    bed = GatewayTaskBed.start();
    controlPlane = bed.controlPlane;
    httpbin = bed.httpbin;
    gateway = bed.gateway;
    port = LocalGateway.freePort();
    apply(gatewayYaml("httpbin.example.com"));
    apply(bed.httpbinRoutes("istio-system/httpbin-gateway"));
    gateway.awaitListening(port);
  }

  @AfterAll
  static void stop() throws Exception {
    if (bed != null) {
      bed.close();
    }
  }

  @Test
  void aRouteOfTheBoundVirtualServiceReachesHttpbinThroughTheGateway() {
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
        .untilAsserted(() -> {
          RawHttp.Response r = gateway.get(port, "httpbin.example.com", "/status/200");
          assertThat(r.status()).as(r.toString()).isEqualTo(200);
          assertThat(r.header("x-served-by")).isEqualTo("httpbin");
        });
    RawHttp.Response teapot = get("httpbin.example.com", "/status/418");
    assertThat(teapot.status()).isEqualTo(418);
    assertThat(get("httpbin.example.com", "/delay/0").body()).isEqualTo("delayed\n");
  }

  @Test
  void aPathNoRouteMatchesIsNotFound() {
    awaitServing();
    assertThat(get("httpbin.example.com", "/headers").status()).isEqualTo(404);
  }

  @Test
  void aHostTheGatewayDoesNotServeIsNotFound() {
    awaitServing();
    assertThat(get("other.example.com", "/status/200").status()).isEqualTo(404);
  }

  @Test
  void theBackendSeesTheCallerAsTheGatewaysIdentityAndTheOriginalHost() {
    awaitServing();
    apply("""
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          name: httpbin-headers
          namespace: default
        spec:
          hosts:
          - "headers.example.com"
          gateways:
          - istio-system/httpbin-gateway
          http:
          - route:
            - destination:
                port:
                  number: %d
                host: httpbin
        """.formatted(httpbin.port));
    apply(gatewayYaml("httpbin.example.com", "headers.example.com"));
    try {
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
          .untilAsserted(() -> {
            RawHttp.Response r = gateway.get(port, "headers.example.com", "/headers");
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertThat(r.body()).contains("host: headers.example.com")
                .contains("x-forwarded-for:");
          });
    } finally {
      controlPlane.delete("""
          apiVersion: networking.istio.io/v1
          kind: VirtualService
          metadata:
            name: httpbin-headers
            namespace: default
          """);
      apply(gatewayYaml("httpbin.example.com"));
    }
  }

  @Test
  void aGatewaysListenerClosesWhenTheGatewayIsDeletedAndReopensWhenApplied() throws Exception {
    awaitServing();
    controlPlane.delete("""
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata:
          name: httpbin-gateway
          namespace: istio-system
        """);
    try {
      gateway.awaitNotListening(port);
      assertThatThrownBy(() -> RawHttp.get(LocalGateway.ADDRESS, port, "httpbin.example.com",
          "/status/200")).isInstanceOf(ConnectException.class);
    } finally {
      apply(gatewayYaml("httpbin.example.com"));
    }
    gateway.awaitListening(port);
    awaitServing();
  }

  private static String gatewayYaml(String... hosts) {
    StringBuilder h = new StringBuilder();
    for (String host : hosts) {
      h.append("    - \"").append(host).append("\"\n");
    }
    return """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata:
          name: httpbin-gateway
          namespace: istio-system
        spec:
          selector:
            istio: ingressgateway
          servers:
          - port:
              number: %d
              name: http
              protocol: HTTP
            hosts:
        %s""".formatted(port, h);
  }

  private static void apply(String yaml) {
    bed.apply(yaml);
  }

  private static void awaitServing() {
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
        .untilAsserted(() -> assertThat(gateway.get(port, "httpbin.example.com",
            "/status/200").status()).isEqualTo(200));
  }

  private static RawHttp.Response get(String host, String path) {
    try {
      return gateway.get(port, host, path);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
