package io.inboard.mesh.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every Istio field a resource sets that clients cannot honour is reported with its reason, and
 * an unknown field as a likely typo: on apply, on analyze and in the admin API's diagnostics.
 */
class UnhonouredFieldWarningsTest {
  static final String VS = """
      apiVersion: networking.istio.io/v1
      kind: VirtualService
      metadata: {name: reviews}
      spec:
        hosts: [reviews]
        http:
        - mirror: {host: reviews, subset: v3}
          mirrorPercentage: {value: 10}
          rewrite: {uri: /v2}
          corsPolicy: {allowOrigins: [{exact: "https://example.com"}]}
          headers: {request: {set: {x-mode: test}}}
          route:
          - destination: {host: reviews, subset: v1}
            headers: {response: {remove: [x-internal]}}
        - redirect: {uri: /elsewhere}
        tcp:
        - route: [{destination: {host: reviews}}]
        tls:
        - match: [{sniHosts: [reviews]}]
          route: [{destination: {host: reviews}}]
        retrys: {attempts: 3}
      """;
  static final String DR = """
      apiVersion: networking.istio.io/v1
      kind: DestinationRule
      metadata: {name: reviews}
      spec:
        host: reviews
        trafficPolicy:
          tls: {mode: ISTIO_MUTUAL}
          portLevelSettings:
          - port: {number: 9080}
            loadBalancer: {simple: LEAST_REQUEST}
          loadBalancer:
            simple: ROUND_ROBIN
            localityLbSetting: {enabled: true}
          connectionPool:
            tcp: {tcpKeepalive: {time: 7200s}}
          outlierDetection:
            consecutive5xxErrors: 5
            splitExternalLocalOriginErrors: true
      """;

  ControlPlane cp;
  AdminHttp admin;

  @BeforeEach
  void start() throws Exception {
    cp = ControlPlane.builder().xdsPort(0).adminPort(0).start();
    admin = new AdminHttp(cp);
  }

  @AfterEach
  void stop() {
    admin.close();
    cp.close();
  }

  @Test
  void applyWarnsAboutEachUnhonouredVirtualServiceFieldWithItsReason() {
    Diagnostics d = cp.apply(VS);

    assertThat(d.hasErrors()).isFalse();
    assertThat(texts(d)).contains(
        "WARNING VirtualService default/reviews: spec.http[0].mirror: gRPC clients mirror"
            + " unary calls only: a streaming call sends no copy (HTTP clients mirror every"
            + " request)",
        "WARNING VirtualService default/reviews: spec.http[0].rewrite: not honoured: gRPC"
            + " clients do not rewrite the path or authority; calls keep their own",
        "WARNING VirtualService default/reviews: spec.http[1].redirect: not honoured: gRPC"
            + " clients do not follow redirects; this route is left out, so matching calls fall"
            + " through to the next route",
        "WARNING VirtualService default/reviews: spec.retrys: not a field of Istio's"
            + " VirtualService that Inboard knows (a typo?); ignored");
    assertThat(d.warnings()).extracting(Diagnostic::field).containsExactlyInAnyOrder(
        "spec.http[0].mirror", "spec.http[0].rewrite",
        // header changes are honoured by both planes now: no warning
        "spec.http[0].corsPolicy",
        "spec.http[1].redirect", "spec.tcp", "spec.tls", "spec.retrys",
        // applied without a DestinationRule, so subset v1 is an unresolved reference too
        "spec.http[0].route[0].destination.subset");
  }

  @Test
  void applyWarnsAboutEachUnhonouredDestinationRuleFieldWithItsReason() {
    Diagnostics d = cp.apply(DR);

    assertThat(d.hasErrors()).isFalse();
    assertThat(d.warnings()).extracting(Diagnostic::field).contains(
        "spec.trafficPolicy.portLevelSettings[0].loadBalancer",
        "spec.trafficPolicy.loadBalancer.localityLbSetting",
        "spec.trafficPolicy.connectionPool.tcp.tcpKeepalive",
        "spec.trafficPolicy.outlierDetection.splitExternalLocalOriginErrors");
    // tls is served now, so not warned about
    assertThat(d.warnings()).extracting(Diagnostic::field)
        .doesNotContain("spec.trafficPolicy.tls", "spec.trafficPolicy.tls.mode");
    assertThat(texts(d)).contains("WARNING DestinationRule default/reviews:"
        + " spec.trafficPolicy.loadBalancer.localityLbSetting: not honoured: its distribute and"
        + " failover rules are not applied; gRPC clients spread calls over every locality by"
        + " weight, and HTTP clients keep calls in their own zone while it has a healthy"
        + " endpoint, then use any other");
    assertThat(texts(d)).noneMatch(t -> t.contains("a typo?"));
  }

  @Test
  void analyzeAndAdminDiagnosticsNameResourceFieldAndReason() throws Exception {
    JsonObject analyzed = admin.post("/api/v1/analyze", VS).json();
    String mirror = "WARNING VirtualService default/reviews: spec.http[0].mirror: gRPC clients"
        + " mirror unary calls only";
    assertThat(texts(analyzed.getAsJsonArray("warnings"))).anyMatch(t -> t.startsWith(mirror));
    assertThat(cp.resources("VirtualService", "", "")).isEmpty();

    cp.apply(VS + "---\n" + DR);
    JsonObject diagnostics = admin.get("/api/v1/diagnostics").json();

    List<String> warnings = texts(diagnostics.getAsJsonArray("warnings"));
    assertThat(warnings).anyMatch(t -> t.startsWith(mirror));
    assertThat(warnings).contains("WARNING DestinationRule default/reviews:"
        + " spec.trafficPolicy.connectionPool.tcp.tcpKeepalive: not honoured: gRPC clients use"
        + " their own HTTP/2 keepalive");
  }

  private static List<String> texts(Diagnostics d) {
    return d.all().stream().map(Diagnostic::toString).toList();
  }

  private static List<String> texts(JsonArray diagnostics) {
    return diagnostics.asList().stream()
        .map(e -> e.getAsJsonObject().get("text").getAsString()).toList();
  }
}
