package io.inboard.mesh.controlplane.internal.translate;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.xds.type.v3.TypedStruct;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.inboard.mesh.controlplane.Diagnostic;
import io.inboard.mesh.controlplane.internal.model.ParsedResource;
import io.inboard.mesh.controlplane.internal.parse.ResourceParser;
import org.junit.jupiter.api.Test;

/**
 * Istio's {@code outlierDetection.minHealthPercent}: parsed (0..100), carried to HTTP clients as
 * Envoy's {@code common_lb_config.healthy_panic_threshold} (set even at 0, as Istio sets it) and
 * to gRPC clients in Inboard's policy.
 */
class OutlierPanicThresholdTest {
  private final ResourceParser parser = new ResourceParser("default", "cluster.local");

  private ResourceParser.Result parse(String outlierDetection) {
    return parser.parse("f", """
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: reviews}
        spec:
          host: reviews
          trafficPolicy:
            outlierDetection: %s
        """.formatted(outlierDetection));
  }

  private Cluster cluster(String outlierDetection) {
    ResourceParser.Result r = parse(outlierDetection);
    assertThat(r.hasErrors()).as(r.diagnostics().toString()).isFalse();
    var dr = (ParsedResource.DestinationRule) r.resources().get(0);
    return ClusterTranslator.cluster("outbound|9080||reviews.default.svc.cluster.local",
        dr.policy().effectivePolicy(""));
  }

  @Test
  void minHealthPercentBecomesEnvoysPanicThresholdAndInboardsGrpcField() throws Exception {
    Cluster c = cluster("{consecutive5xxErrors: 1, maxEjectionPercent: 100,"
        + " minHealthPercent: 50}");

    assertThat(c.getCommonLbConfig().getHealthyPanicThreshold().getValue()).isEqualTo(50);
    TypedStruct ours = c.getLoadBalancingPolicy().getPolicies(0).getTypedExtensionConfig()
        .getTypedConfig().unpack(TypedStruct.class);
    assertThat(ours.getValue().getFieldsOrThrow("minHealthPercent").getNumberValue())
        .isEqualTo(50);
  }

  @Test
  void unsetMinHealthPercentTurnsEnvoysDefaultPanicOff_asIstio() throws Exception {
    Cluster c = cluster("{consecutive5xxErrors: 1}");

    // Envoy would panic below 50 % when the field is absent; Istio always sends it
    assertThat(c.getCommonLbConfig().hasHealthyPanicThreshold()).isTrue();
    assertThat(c.getCommonLbConfig().getHealthyPanicThreshold().getValue()).isZero();
    TypedStruct ours = c.getLoadBalancingPolicy().getPolicies(0).getTypedExtensionConfig()
        .getTypedConfig().unpack(TypedStruct.class);
    assertThat(ours.getValue().getFieldsOrThrow("minHealthPercent").getNumberValue()).isZero();
  }

  @Test
  void minHealthPercentAbove100IsRefusedNamingTheField() {
    ResourceParser.Result r = parse("{minHealthPercent: 101}");

    assertThat(r.resources()).isEmpty();
    assertThat(r.diagnostics()).extracting(Diagnostic::toString).containsExactly(
        "DestinationRule default/reviews: spec.trafficPolicy.outlierDetection.minHealthPercent:"
            + " 101 (expected: an integer 0..100)");
  }

  @Test
  void minHealthPercentIsNoLongerWarnedAbout() {
    ResourceParser.Result r = parse("{minHealthPercent: 30}");

    assertThat(r.diagnostics()).isEmpty();
  }
}
