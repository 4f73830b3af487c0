package io.inboard.mesh.gateway;

import static io.inboard.mesh.gateway.GatewayRig.RATINGS;
import static io.inboard.mesh.gateway.GatewayRig.REVIEWS;
import static io.inboard.mesh.gateway.GatewayXds.header;
import static io.inboard.mesh.gateway.GatewayXds.host;
import static io.inboard.mesh.gateway.GatewayXds.prefix;
import static io.inboard.mesh.gateway.GatewayXds.routes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Any;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.FaultAbort;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.type.v3.FractionalPercent;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The route's policies applied to gateway traffic as the mesh's own clients apply them:
 * retries, timeouts, header changes, faults, weighted splits and require_tls. Each test serves
 * its own virtual host ({@code <test>.example.com}) and waits until it is routed.
 */
class GatewayPolicyTest {

  static GatewayRig rig;

  @BeforeAll
  static void start() throws Exception {
    rig = new GatewayRig();
  }

  @AfterAll
  static void stop() {
    rig.close();
  }

  private static void serve(VirtualHost vh) throws Exception {
    rig.serve(routes("http.policy", vh,
        host("probe", "probe.example.com").addRoutes(prefix("/", REVIEWS)).build()));
    // the new route config is in force once its own probe host answers with this version
    String probe = vh.getDomains(0);
    await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() ->
        rig.get(probe, "/__probe").headers().firstValue("x-inboard-local-reply").isEmpty()
            || rig.get(probe, "/__probe").statusCode() != 404);
  }

  @Test
  void retriesA503OnceAndAnswersTheSecondTry() throws Exception {
    serve(host("retry", "retry.example.com").addRoutes(prefix("/", REVIEWS).setRoute(
        RouteAction.newBuilder().setCluster(REVIEWS).setRetryPolicy(RetryPolicy.newBuilder()
            .setRetryOn("5xx").setNumRetries(UInt32Value.of(2))))).build());
    HttpResponse<String> r = rig.get("retry.example.com", "/fail-once/a");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("reviews try 2");
  }

  @Test
  void withoutRetryTheUpstream503PassesThrough() throws Exception {
    serve(host("noretry", "noretry.example.com").addRoutes(prefix("/", REVIEWS)).build());
    assertThat(rig.get("noretry.example.com", "/fail-once/b").statusCode()).isEqualTo(503);
  }

  @Test
  void aRouteTimeoutAnswers504WithEnvoysBody() throws Exception {
    serve(host("timeout", "timeout.example.com").addRoutes(prefix("/", REVIEWS).setRoute(
        RouteAction.newBuilder().setCluster(REVIEWS)
            .setTimeout(com.google.protobuf.Duration.newBuilder().setNanos(300_000_000))))
        .build());
    HttpResponse<String> r = rig.get("timeout.example.com", "/sleep/3000");
    assertThat(r.statusCode()).isEqualTo(504);
    assertThat(r.body()).isEqualTo("upstream request timeout");
    assertThat(rig.get("timeout.example.com", "/sleep/10").statusCode()).isEqualTo(200);
  }

  @Test
  void setsAndRemovesRequestHeadersAndAddsResponseHeaders() throws Exception {
    serve(host("hdr", "hdr.example.com").addRoutes(prefix("/", REVIEWS)
        .addRequestHeadersToAdd(header("x-set", "gateway", false))
        .addRequestHeadersToRemove("x-secret")
        .addResponseHeadersToAdd(header("x-served-by", "inboard-gateway", false))).build());
    HttpResponse<String> r = rig.get("hdr.example.com", "/h", "x-set", "client",
        "x-secret", "s3cr3t", "x-kept", "k");
    assertThat(r.headers().firstValue("echo-x-set")).hasValue("gateway");
    assertThat(r.headers().firstValue("echo-x-secret")).isEmpty();
    assertThat(r.headers().firstValue("echo-x-kept")).hasValue("k");
    assertThat(r.headers().firstValue("x-served-by")).hasValue("inboard-gateway");
    // the edge's own headers
    assertThat(r.headers().firstValue("echo-x-forwarded-for")).hasValue("127.0.0.1");
    assertThat(r.headers().firstValue("echo-x-forwarded-proto")).hasValue("http");
    assertThat(r.headers().firstValue("echo-x-request-id")).isPresent();
    assertThat(r.headers().firstValue("echo-x-forwarded-host")).hasValue("hdr.example.com");
  }

  @Test
  void aFaultAbortAnswersItsStatusWithoutCallingTheBackend() throws Exception {
    HTTPFault fault = HTTPFault.newBuilder().setAbort(FaultAbort.newBuilder().setHttpStatus(418)
        .setPercentage(FractionalPercent.newBuilder().setNumerator(100))).build();
    serve(host("fault", "fault.example.com").addRoutes(prefix("/", RATINGS)
        .putTypedPerFilterConfig("envoy.filters.http.fault", Any.pack(fault))).build());
    int before = rig.ratings.requests.get();
    assertThat(rig.get("fault.example.com", "/f").statusCode()).isEqualTo(418);
    assertThat(rig.ratings.requests.get()).isEqualTo(before);
  }

  @Test
  void splitsByWeight80To20WithinTolerance() throws Exception {
    serve(host("split", "split.example.com").addRoutes(Route.newBuilder()
        .setMatch(io.envoyproxy.envoy.config.route.v3.RouteMatch.newBuilder().setPrefix("/"))
        .setRoute(RouteAction.newBuilder().setWeightedClusters(WeightedCluster.newBuilder()
            .addClusters(WeightedCluster.ClusterWeight.newBuilder().setName(REVIEWS)
                .setWeight(UInt32Value.of(80)))
            .addClusters(WeightedCluster.ClusterWeight.newBuilder().setName(RATINGS)
                .setWeight(UInt32Value.of(20)))))).build());
    int reviews = 0;
    int n = 200;
    for (int i = 0; i < n; i++) {
      if (rig.get("split.example.com", "/w").body().startsWith("reviews")) {
        reviews++;
      }
    }
    // 80% of 200 = 160; binomial sd = 5.7: +-28 is 5 sd
    assertThat(reviews).isBetween(132, 188);
  }

  @Test
  void aPlaintextRequestToARequireTlsHostIsRedirectedToHttps() throws Exception {
    serve(host("secure", "secure.example.com")
        .setRequireTls(VirtualHost.TlsRequirementType.ALL)
        .addRoutes(prefix("/", REVIEWS)).build());
    HttpResponse<String> r = rig.get("secure.example.com", "/login?next=%2Fhome");
    assertThat(r.statusCode()).isEqualTo(301);
    assertThat(r.headers().firstValue("location"))
        .hasValue("https://secure.example.com/login?next=%2Fhome");
  }

}
