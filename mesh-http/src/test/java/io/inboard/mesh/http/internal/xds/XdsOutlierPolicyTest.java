package io.inboard.mesh.http.internal.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.cluster.v3.OutlierDetection;
import io.envoyproxy.envoy.type.v3.Percent;
import io.inboard.mesh.api.policy.ClientPolicy;
import org.junit.jupiter.api.Test;

/** How a Cluster's outlier_detection becomes the HTTP client's ejection rules, as in Envoy. */
class XdsOutlierPolicyTest {

  private static io.inboard.mesh.api.policy.OutlierDetectionPolicy read(OutlierDetection od) {
    Cluster c = Cluster.newBuilder().setName("outbound|9080||ratings.default.svc.cluster.local")
        .setType(Cluster.DiscoveryType.EDS).setOutlierDetection(od).build();
    return XdsClusterPolicy.of(c, ClientPolicy.EMPTY).outlierDetection().orElseThrow();
  }

  @Test
  void successRateIsEnforcedByDefaultWithEnvoysDefaults() {
    var od = read(OutlierDetection.newBuilder()
        .setConsecutive5Xx(UInt32Value.of(3)).build());

    assertThat(od.consecutive5xxErrors()).isEqualTo(3);
    assertThat(od.successRate()).hasValue(
        io.inboard.mesh.api.policy.OutlierDetectionPolicy.SuccessRate.DEFAULT);
  }

  @Test
  void successRateTakesItsFields_andIsOffWhenNotEnforced() {
    var od = read(OutlierDetection.newBuilder()
        .setEnforcingConsecutive5Xx(UInt32Value.of(0))
        .setSuccessRateMinimumHosts(UInt32Value.of(3))
        .setSuccessRateRequestVolume(UInt32Value.of(20))
        .setSuccessRateStdevFactor(UInt32Value.of(1000)).build());
    assertThat(od.consecutive5xxErrors()).isZero();
    assertThat(od.successRate()).hasValue(
        new io.inboard.mesh.api.policy.OutlierDetectionPolicy.SuccessRate(3, 20, 1000));

    var off = read(OutlierDetection.newBuilder()
        .setEnforcingSuccessRate(UInt32Value.of(0)).build());
    assertThat(off.successRate()).isEmpty();
  }

  @Test
  void panicThresholdIsEnvoysCommonLbConfig_defaulting50WhenAbsent() {
    var absent = read(OutlierDetection.newBuilder().setConsecutive5Xx(UInt32Value.of(3)).build());
    assertThat(absent.minHealthPercent()).isEqualTo(50);

    Cluster c = Cluster.newBuilder().setName("outbound|9080||ratings.default.svc.cluster.local")
        .setType(Cluster.DiscoveryType.EDS).setOutlierDetection(OutlierDetection.newBuilder())
        .setCommonLbConfig(Cluster.CommonLbConfig.newBuilder()
            .setHealthyPanicThreshold(Percent.newBuilder().setValue(0))).build();
    assertThat(XdsClusterPolicy.of(c, ClientPolicy.EMPTY).outlierDetection().orElseThrow()
        .minHealthPercent()).isZero();
  }

  @Test
  void panicThresholdAbove100IsRefusedNamingTheClusterAndField() {
    Cluster c = Cluster.newBuilder().setName("outbound|9080||ratings.default.svc.cluster.local")
        .setType(Cluster.DiscoveryType.EDS).setOutlierDetection(OutlierDetection.newBuilder())
        .setCommonLbConfig(Cluster.CommonLbConfig.newBuilder()
            .setHealthyPanicThreshold(Percent.newBuilder().setValue(120))).build();

    assertThatThrownBy(() -> XdsClusterPolicy.of(c, ClientPolicy.EMPTY))
        .hasMessage("cluster 'outbound|9080||ratings.default.svc.cluster.local'"
            + " common_lb_config.healthy_panic_threshold: 120.0 (expected: a percent 0..100)");
  }

  @Test
  void failurePercentageAloneIsRefusedNamingTheCluster() {
    Cluster c = Cluster.newBuilder().setName("outbound|9080||ratings.default.svc.cluster.local")
        .setType(Cluster.DiscoveryType.EDS).setOutlierDetection(OutlierDetection.newBuilder()
            .setEnforcingConsecutive5Xx(UInt32Value.of(0))
            .setEnforcingSuccessRate(UInt32Value.of(0))
            .setEnforcingFailurePercentage(UInt32Value.of(100))).build();

    assertThatThrownBy(() -> XdsClusterPolicy.of(c, ClientPolicy.EMPTY))
        .hasMessageContaining("cluster 'outbound|9080||ratings.default.svc.cluster.local'")
        .hasMessageContaining("failure-percentage");
  }
}
