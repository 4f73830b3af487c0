package io.inboard.mesh.controlplane.internal.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.inboard.mesh.api.policy.LoadBalancerPolicy;
import io.inboard.mesh.controlplane.Diagnostic;
import io.inboard.mesh.controlplane.internal.model.FaultPolicy;
import io.inboard.mesh.controlplane.internal.model.HttpRoute;
import io.inboard.mesh.controlplane.internal.model.ParsedResource;
import io.inboard.mesh.controlplane.internal.model.StringMatch;
import io.inboard.mesh.controlplane.internal.model.WeightedDestination;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ResourceParserTest {
  static final Path SAMPLES = Path.of("/work/shared/istio-samples/bookinfo/networking");

  private final ResourceParser parser = new ResourceParser("default", "cluster.local");

  static Stream<Path> samples() throws IOException {
    return Files.list(SAMPLES).filter(p -> p.toString().endsWith(".yaml")).sorted();
  }

  @ParameterizedTest
  @MethodSource("samples")
  void parsesIstioBookinfoSampleWithoutError(Path file) throws IOException {
    ResourceParser.Result result = parser.parse(file.getFileName().toString(),
        Files.readString(file));

    assertThat(result.hasErrors()).as(result.diagnostics().toString()).isFalse();
    assertThat(result.resources()).isNotEmpty();
    // every field Istio's own samples set is one Inboard knows, honoured or not
    assertThat(result.diagnostics()).extracting(Diagnostic::message)
        .noneMatch(m -> m.contains("a typo?"));
  }

  @Test
  void samplesDirectoryIsNotEmpty() throws IOException {
    assertThat(samples()).hasSizeGreaterThan(10);
  }

  @Test
  void readsJasonHeaderMatchAndResolvesShortHosts() throws IOException {
    ParsedResource.VirtualService vs = (ParsedResource.VirtualService) parser.parse("f",
        Files.readString(SAMPLES.resolve("virtual-service-reviews-test-v2.yaml"))).resources().get(0);

    assertThat(vs.hosts()).containsExactly("reviews.default.svc.cluster.local");
    HttpRoute first = vs.http().get(0);
    assertThat(first.matches().get(0).headers())
        .containsEntry("end-user", new StringMatch.Exact("jason"));
    assertThat(first.destinations()).containsExactly(
        new WeightedDestination("reviews.default.svc.cluster.local", "v2", 0, 100));
  }

  @Test
  void readsDeprecatedIntegerPercentAndPercentageValue() throws IOException {
    HttpRoute abort = ((ParsedResource.VirtualService) parser.parse("f", Files.readString(
        SAMPLES.resolve("virtual-service-ratings-test-abort.yaml"))).resources().get(0))
        .http().get(0);
    HttpRoute delay = ((ParsedResource.VirtualService) parser.parse("f", Files.readString(
        SAMPLES.resolve("virtual-service-ratings-test-delay.yaml"))).resources().get(0))
        .http().get(0);

    assertThat(abort.fault().flatMap(FaultPolicy::abort).orElseThrow())
        .isEqualTo(new FaultPolicy.Abort(500, "", 100));
    assertThat(delay.fault().flatMap(FaultPolicy::delay).orElseThrow())
        .isEqualTo(new FaultPolicy.Delay(Duration.ofSeconds(7), 100));
  }

  @Test
  void readsTheBookinfoGatewayAsAServedGateway() throws IOException {
    ResourceParser.Result result = parser.parse("f",
        Files.readString(SAMPLES.resolve("bookinfo-gateway.yaml")));

    assertThat(result.diagnostics()).isEmpty();
    assertThat(result.resources()).hasSize(2).first()
        .isInstanceOf(ParsedResource.Gateway.class);
  }

  @Test
  void rejectsNonNumericWeightNamingResourceFieldValueAndExpectation() {
    ResourceParser.Result result = parser.parse("f", """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: reviews}
        spec:
          hosts: [reviews]
          http:
          - route:
            - destination: {host: reviews, subset: v1}
              weight: 80
            - destination: {host: reviews, subset: v2}
              weight: abc
        """);

    assertThat(result.resources()).isEmpty();
    assertThat(result.diagnostics()).extracting(Diagnostic::toString).containsExactly(
        "VirtualService default/reviews: spec.http[0].route[1].weight: 'abc'"
            + " (expected: an integer 0..100)");
  }

  @Test
  void rejectsBadDurationAndRegex() {
    ResourceParser.Result result = parser.parse("f", """
        apiVersion: networking.istio.io/v1beta1
        kind: VirtualService
        metadata: {name: a, namespace: shop}
        spec:
          hosts: [a]
          http:
          - timeout: 1x
            route: [{destination: {host: a}}]
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: b, namespace: shop}
        spec:
          hosts: [b]
          http:
          - match: [{uri: {regex: "("}}]
            route: [{destination: {host: b}}]
        """);

    assertThat(result.diagnostics()).extracting(Diagnostic::toString).containsExactly(
        "VirtualService shop/a: spec.http[0].timeout: '1x'"
            + " (expected: a duration such as 250ms, 1.5s, 2m or 1h)",
        "VirtualService shop/b: spec.http[0].match[0].uri.regex: '('"
            + " (expected: a valid regular expression)");
  }

  @Test
  void warnsAboutFieldsGrpcClientsCannotHonour() {
    ResourceParser.Result result = parser.parse("f", """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: r}
        spec:
          hosts: [r]
          http:
          - match: [{queryParams: {a: {exact: b}}}]
            retries: {attempts: 3, perTryTimeout: 1s, retryOn: "5xx,unavailable"}
            mirror: {host: other}
            route: [{destination: {host: r}}]
        """);

    assertThat(result.hasErrors()).isFalse();
    assertThat(result.diagnostics()).extracting(Diagnostic::field).containsExactlyInAnyOrder(
        "spec.http[0].mirror", "spec.http[0].match[0].queryParams",
        "spec.http[0].retries.perTryTimeout", "spec.http[0].retries.retryOn");
  }

  @Test
  void readsSubsetTrafficPolicyOverHostPolicy() {
    ParsedResource.DestinationRule dr = (ParsedResource.DestinationRule) parser.parse("f", """
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: r, namespace: shop}
        spec:
          host: r
          trafficPolicy:
            loadBalancer: {simple: LEAST_REQUEST}
            connectionPool: {http: {http2MaxRequests: 7}}
          subsets:
          - name: v1
            labels: {version: v1}
            trafficPolicy:
              loadBalancer: {consistentHash: {httpHeaderName: X-User}}
        """).resources().get(0);

    assertThat(dr.policy().host()).isEqualTo("r.shop.svc.cluster.local");
    assertThat(dr.policy().effectivePolicy("v1").loadBalancer()).contains(
        new LoadBalancerPolicy.ConsistentHash(new LoadBalancerPolicy.HashKey.Header("x-user"), 1024));
    assertThat(dr.policy().effectivePolicy("v1").connectionPool().orElseThrow().maxRequests())
        .isEqualTo(7);
    assertThat(dr.policy().subsets().get(0).labels()).isEqualTo(java.util.Map.of("version", "v1"));
    assertThat(List.of(dr.policy().effectivePolicy("").loadBalancer().orElseThrow())).containsExactly(
        new LoadBalancerPolicy.Simple(LoadBalancerPolicy.Simple.Kind.LEAST_REQUEST));
  }
}
