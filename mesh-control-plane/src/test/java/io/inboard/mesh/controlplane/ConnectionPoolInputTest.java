package io.inboard.mesh.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.inboard.mesh.controlplane.internal.parse.ResourceParser;
import org.junit.jupiter.api.Test;

/**
 * The connectionPool fields gRPC clients honour (requests, pending requests) are not warned
 * about; those that mean nothing to them, or that they honour in part, are, with why; bad values
 * are refused naming the field.
 */
class ConnectionPoolInputTest {
  private final ResourceParser parser = new ResourceParser("default", "cluster.local");

  private ResourceParser.Result parse(String pool) {
    return parser.parse("t.yaml", """
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: reviews}
        spec:
          host: reviews
          trafficPolicy:
            connectionPool: %s
        """.formatted(pool));
  }

  @Test
  void requestAndPendingLimitsAreNotWarnedAbout() {
    ResourceParser.Result r = parse("{http: {http2MaxRequests: 1, http1MaxPendingRequests: 1}}");

    assertThat(r.hasErrors()).isFalse();
    assertThat(r.diagnostics().toString()).doesNotContain("connectionPool");
  }

  @Test
  void maxConnectionsIsReportedNotMeaningfulForGrpc() {
    ResourceParser.Result r = parse("{tcp: {maxConnections: 4, connectTimeout: 2s}}");

    assertThat(r.hasErrors()).isFalse();
    assertThat(r.diagnostics().toString()).contains(
        "spec.trafficPolicy.connectionPool.tcp.maxConnections: not meaningful for gRPC clients:"
            + " they multiplex every call over one HTTP/2 connection per endpoint; HTTP clients"
            + " honour it",
        "spec.trafficPolicy.connectionPool.tcp.connectTimeout: not honoured by gRPC clients");
  }

  @Test
  void maxRetriesWarnsOfTheStatusGrpcsOwnRetriesEndWith() {
    ResourceParser.Result r = parse("{http: {maxRetries: 2}}");

    assertThat(r.diagnostics().toString()).contains(
        "spec.trafficPolicy.connectionPool.http.maxRetries: honoured by both planes, but on gRPC"
            + " routes without perTryTimeout (grpc's own retries) a call whose retry finds the"
            + " budget spent ends UNAVAILABLE");
  }

  @Test
  void maxRequestsPerConnectionIsReportedHonouredByGrpcAndTheNettyTransport() {
    ResourceParser.Result r = parse("{http: {maxRequestsPerConnection: 5}}");

    assertThat(r.hasErrors()).isFalse();
    assertThat(r.diagnostics().toString()).contains(
        "spec.trafficPolicy.connectionPool.http.maxRequestsPerConnection: honoured by gRPC"
            + " clients", "and by HTTP clients on the Netty transport",
        "HTTP clients on the JDK transport (the default) reuse connections without limit");
  }

  @Test
  void idleTimeoutIsReportedHonouredPerPlane_andTheTcpOneNotHonoured() {
    ResourceParser.Result r = parse("{http: {idleTimeout: 5m}, tcp: {idleTimeout: 1h}}");

    assertThat(r.hasErrors()).isFalse();
    assertThat(r.diagnostics().toString()).contains(
        "spec.trafficPolicy.connectionPool.http.idleTimeout: honoured by gRPC clients and by"
            + " HTTP clients on the Netty transport",
        "spec.trafficPolicy.connectionPool.tcp.idleTimeout: not honoured: it applies to TCP"
            + " proxying");
  }

  @Test
  void aBadIdleTimeoutIsRefusedNamingTheField() {
    ResourceParser.Result r = parse("{http: {idleTimeout: -3s}}");

    assertThat(r.hasErrors()).isTrue();
    assertThat(r.diagnostics().toString())
        .contains("spec.trafficPolicy.connectionPool.http.idleTimeout", "-3s",
            "expected: a duration");
  }

  @Test
  void negativeRequestsPerConnectionIsRefusedNamingTheField() {
    ResourceParser.Result r = parse("{http: {maxRequestsPerConnection: -2}}");

    assertThat(r.hasErrors()).isTrue();
    assertThat(r.diagnostics().toString())
        .contains("spec.trafficPolicy.connectionPool.http.maxRequestsPerConnection", "-2");
  }

  @Test
  void negativePendingRequestsIsRefusedNamingTheField() {
    ResourceParser.Result r = parse("{http: {http1MaxPendingRequests: -1}}");

    assertThat(r.hasErrors()).isTrue();
    assertThat(r.diagnostics().toString())
        .contains("spec.trafficPolicy.connectionPool.http.http1MaxPendingRequests", "-1");
  }
}
