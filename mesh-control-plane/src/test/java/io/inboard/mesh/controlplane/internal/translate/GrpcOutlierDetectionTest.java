package io.inboard.mesh.controlplane.internal.translate;

import static org.assertj.core.api.Assertions.assertThat;

import io.inboard.mesh.api.policy.OutlierDetectionPolicy;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Consecutive-error ejection translated into the failure-percentage ejection gRPC enforces. */
class GrpcOutlierDetectionTest {
  static final Duration SECOND = Duration.ofSeconds(1);
  static final Duration HALF_MINUTE = Duration.ofSeconds(30);

  @Test
  void consecutive5xxBecomesFailurePercentageWithItsRequestVolume() {
    var xds = GrpcOutlierDetection.translate(
        new OutlierDetectionPolicy(3, 0, SECOND, HALF_MINUTE, 100, Optional.empty()));

    assertThat(xds.getEnforcingFailurePercentage().getValue()).isEqualTo(100);
    // grpc-java ejects above the threshold: 100 would never eject
    assertThat(xds.getFailurePercentageThreshold().getValue()).isEqualTo(99);
    assertThat(xds.getFailurePercentageRequestVolume().getValue()).isEqualTo(3);
    // A50's default of 5 hosts would switch ejection off for smaller services
    assertThat(xds.getFailurePercentageMinimumHosts().getValue()).isEqualTo(1);
    assertThat(xds.getEnforcingSuccessRate().getValue()).isZero();
    assertThat(xds.getConsecutive5Xx().getValue()).isEqualTo(3);
    assertThat(xds.getInterval().getSeconds()).isEqualTo(1);
    assertThat(xds.getBaseEjectionTime().getSeconds()).isEqualTo(30);
    assertThat(xds.getMaxEjectionPercent().getValue()).isEqualTo(100);
  }

  @Test
  void smallerPositiveOfBothCountsIsTheRequestVolume() {
    assertThat(GrpcOutlierDetection.requestVolume(
        new OutlierDetectionPolicy(5, 2, SECOND, HALF_MINUTE, 10, Optional.empty()))).isEqualTo(2);
    assertThat(GrpcOutlierDetection.requestVolume(
        new OutlierDetectionPolicy(0, 4, SECOND, HALF_MINUTE, 10, Optional.empty()))).isEqualTo(4);
  }

  @Test
  void noConsecutiveCountsEjectsNothing() {
    var xds = GrpcOutlierDetection.translate(
        new OutlierDetectionPolicy(0, 0, SECOND, HALF_MINUTE, 10, Optional.empty()));

    assertThat(xds.getEnforcingFailurePercentage().getValue()).isZero();
    assertThat(xds.getEnforcingSuccessRate().getValue()).isZero();
  }

  @Test
  void warningNamesFieldAndExplainsTheApproximation() {
    String warning = GrpcOutlierDetection.approximationWarning("consecutive5xxErrors", 3,
        new OutlierDetectionPolicy(3, 0, SECOND, HALF_MINUTE, 100, Optional.empty()));

    assertThat(warning).contains("consecutive5xxErrors: 3", "at least 3 calls in one interval",
        "consecutive failures among successes in the same interval do not eject");
  }
}
