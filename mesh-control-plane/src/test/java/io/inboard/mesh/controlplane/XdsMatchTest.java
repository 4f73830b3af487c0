package io.inboard.mesh.controlplane;

import static io.inboard.mesh.controlplane.XdsTestBed.V1;
import static io.inboard.mesh.controlplane.XdsTestBed.V2;
import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * VirtualService uri matches and weights, through a mesh in xDS mode. gRPC paths are
 * {@code /grpc.testing.SimpleService/UnaryRpc} and {@code .../ServerStreamingRpc}.
 */
class XdsMatchTest {
  @RegisterExtension
  static final XdsTestBed bed = new XdsTestBed();

  @Test
  void routesUriPrefixToItsSubset() {
    bed.service("prefixed").apply(route("prefixed", "prefix: /grpc.testing.SimpleService/Server"));
    SimpleServiceGrpc.SimpleServiceBlockingStub stub = bed.stub("prefixed");

    assertThat(servedBy(stub, true, 20)).containsOnlyKeys(V2);
    assertThat(servedBy(stub, false, 20)).containsOnlyKeys(V1);
  }

  @Test
  void routesUriRegexToItsSubset() {
    bed.service("regexed")
        .apply(route("regexed", "regex: '/grpc\\.testing\\.[A-Za-z]+/.*Streaming.*'"));
    SimpleServiceGrpc.SimpleServiceBlockingStub stub = bed.stub("regexed");

    assertThat(servedBy(stub, true, 20)).containsOnlyKeys(V2);
    assertThat(servedBy(stub, false, 20)).containsOnlyKeys(V1);
  }

  @Test
  void methodAndQueryMatchesServedForHttpNeverCatchGrpcCalls() {
    // Routes with a non-POST method or a query parameter are in the RDS for HTTP clients;
    // grpc-xds must skip them (not NACK the route configuration) and fall through to v1.
    bed.service("methods");
    assertThat(bed.cp.apply("""
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: methods}
        spec:
          hosts: [methods]
          http:
          - match: [{method: {exact: GET}}, {queryParams: {canary: {exact: "yes"}}}]
            route: [{destination: {host: methods, subset: v2}}]
          - route: [{destination: {host: methods, subset: v1}}]
        """).errors()).isEmpty();
    SimpleServiceGrpc.SimpleServiceBlockingStub stub = bed.stub("methods");

    assertThat(servedBy(stub, true, 10)).containsOnlyKeys(V1);
    assertThat(servedBy(stub, false, 10)).containsOnlyKeys(V1);
  }

  @Test
  void splitsTraffic50To50WithinSixPercentagePoints() {
    bed.service("halved").apply("""
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: halved}
        spec:
          hosts: [halved]
          http:
          - route:
            - {destination: {host: halved, subset: v1}, weight: 50}
            - {destination: {host: halved, subset: v2}, weight: 50}
        """);

    Map<String, Integer> served = servedBy(bed.stub("halved"), false, 1000);

    // 1000 calls at p = 0.5 have a standard deviation of 15.8 calls: 60 is ~3.8 sigma
    assertThat(served.getOrDefault(V1, 0)).isBetween(440, 560);
    assertThat(served.getOrDefault(V2, 0)).isBetween(440, 560);
  }

  /** Calls matching {@code uriMatch} go to v2, the rest to v1. */
  private static String route(String service, String uriMatch) {
    return """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: %1$s}
        spec:
          hosts: [%1$s]
          http:
          - match: [{uri: {%2$s}}]
            route: [{destination: {host: %1$s, subset: v2}}]
          - route: [{destination: {host: %1$s, subset: v1}}]
        """.formatted(service, uriMatch);
  }

  /** How many of {@code n} calls (server-streaming or unary) each backend served. */
  static Map<String, Integer> servedBy(SimpleServiceGrpc.SimpleServiceBlockingStub stub,
      boolean streaming, int n) {
    Map<String, Integer> served = new HashMap<>();
    for (int i = 0; i < n; i++) {
      SimpleServiceGrpc.SimpleServiceBlockingStub s = stub.withDeadlineAfter(10, TimeUnit.SECONDS);
      String ip = streaming
          ? s.serverStreamingRpc(SimpleRequest.getDefaultInstance()).next().getResponseMessage()
          : s.unaryRpc(SimpleRequest.getDefaultInstance()).getResponseMessage();
      served.merge(ip, 1, Integer::sum);
    }
    return served;
  }
}
