package io.inboard.mesh.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.inboard.mesh.controlplane.internal.parse.ResourceParser;
import org.junit.jupiter.api.Test;

/**
 * Bad values of the fields gRPC clients now honour are refused naming the field, and the fields
 * they honour are no longer warned about.
 */
class GrpcParityInputTest {
  private final ResourceParser parser = new ResourceParser("default", "cluster.local");

  private ResourceParser.Result parse(String yaml) {
    return parser.parse("t.yaml", yaml);
  }

  @Test
  void negativePerTryTimeoutIsRefusedNamingTheField() {
    ResourceParser.Result r = parse("""
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: reviews}
        spec:
          hosts: [reviews]
          http:
          - route: [{destination: {host: reviews}}]
            retries: {attempts: 2, perTryTimeout: -1s}
        """);

    assertThat(r.hasErrors()).isTrue();
    assertThat(r.diagnostics().toString()).contains("spec.http[0].retries.perTryTimeout", "-1s");
  }

  @Test
  void ejectionPercentOverHundredIsRefusedNamingTheField() {
    ResourceParser.Result r = parse("""
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: reviews}
        spec:
          host: reviews
          trafficPolicy:
            outlierDetection: {consecutive5xxErrors: 3, maxEjectionPercent: 150}
        """);

    assertThat(r.hasErrors()).isTrue();
    assertThat(r.diagnostics().toString())
        .contains("spec.trafficPolicy.outlierDetection.maxEjectionPercent", "150");
  }

  @Test
  void headerChangesAndConsecutiveErrorsAreNotWarnedAbout() {
    ResourceParser.Result r = parse("""
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: reviews}
        spec:
          hosts: [reviews]
          http:
          - route:
            - destination: {host: reviews}
              headers: {request: {set: {x-a: "1"}}}
            headers: {response: {remove: [x-b]}}
        ---
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: reviews}
        spec:
          host: reviews
          trafficPolicy:
            outlierDetection: {consecutive5xxErrors: 3, consecutiveGatewayErrors: 2}
        """);

    assertThat(r.hasErrors()).isFalse();
    assertThat(r.diagnostics().toString()).doesNotContain("headers", "consecutive");
  }
}
