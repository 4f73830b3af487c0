package io.inboard.mesh.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Envoy's success-rate rule: hosts below {@code mean - stdevFactor / 1000 * stdev} of the
 * counted hosts' success rates are outliers. Expected thresholds are worked out in the comments.
 */
class SuccessRateOutliersTest {

  /** One host's interval: its name, successes and calls. */
  record Host(String name, long successes, long calls) {}

  static List<Host> outliers(List<Host> hosts, OutlierEjector.SuccessRate rule) {
    return OutlierEjector.successRateOutliers(hosts, Host::successes, Host::calls, rule);
  }

  static Host host(String name, long successes) {
    return new Host(name, successes, 100);
  }

  @Test
  void hostFarBelowTheMeanIsAnOutlier() {
    // rates 100 x5 and 50: mean 91.67, stdev 18.63, threshold 91.67 - 1.9 * 18.63 = 56.27
    List<Host> hosts = List.of(host("a", 100), host("b", 100), host("c", 100), host("d", 100),
        host("e", 100), host("bad", 50));

    assertThat(outliers(hosts, OutlierEjector.SuccessRate.DEFAULT))
        .extracting(Host::name).containsExactly("bad");
  }

  @Test
  void stdevFactorSetsHowFarBelowTheMeanEjects() {
    // rates 100 x4 and 90 x2: mean 96.67, stdev 4.71; at 1.9 stdev the threshold is 87.71 and
    // 90 is spared, at 1.0 stdev it is 91.95 and both 90s are outliers
    List<Host> hosts = List.of(host("a", 100), host("b", 100), host("c", 100), host("d", 100),
        host("low1", 90), host("low2", 90));

    assertThat(outliers(hosts, new OutlierEjector.SuccessRate(5, 100, 1900))).isEmpty();
    assertThat(outliers(hosts, new OutlierEjector.SuccessRate(5, 100, 1000)))
        .extracting(Host::name).containsExactly("low1", "low2");
  }

  @Test
  void fewerCountedHostsThanMinimumEjectNothing() {
    // only 4 hosts reach the request volume of 100: rates 100 x3 and 50, mean 87.5, stdev 21.65;
    // with a minimum of 4 hosts and 1.5 stdev the threshold is 55.02 and "bad" is an outlier
    List<Host> hosts = List.of(host("a", 100), host("b", 100), host("c", 100),
        new Host("quiet1", 99, 99), new Host("quiet2", 10, 10), host("bad", 50));

    assertThat(outliers(hosts, OutlierEjector.SuccessRate.DEFAULT)).isEmpty();
    assertThat(outliers(hosts, new OutlierEjector.SuccessRate(4, 100, 1500)))
        .extracting(Host::name).containsExactly("bad");
  }

  @Test
  void hostBelowRequestVolumeIsNeitherCountedNorEjected() {
    // "rare" failed every call but had 20 calls, below the volume of 100: it is not counted, so
    // the five counted hosts all succeed, stdev is 0 and nothing is below the mean
    List<Host> hosts = List.of(host("a", 100), host("b", 100), host("c", 100), host("d", 100),
        host("e", 100), new Host("rare", 0, 20));

    assertThat(outliers(hosts, OutlierEjector.SuccessRate.DEFAULT)).isEmpty();
  }

  @Test
  void equalRatesEjectNothingEvenWhenAllFail() {
    List<Host> hosts = List.of(host("a", 0), host("b", 0), host("c", 0), host("d", 0),
        host("e", 0));

    assertThat(outliers(hosts, OutlierEjector.SuccessRate.DEFAULT)).isEmpty();
  }

  @Test
  void zeroMinimumHostsAndVolumeStillIgnoreHostsWithoutCalls() {
    List<Host> hosts = List.of(new Host("idle", 0, 0), new Host("ok", 10, 10),
        new Host("bad", 0, 10));

    // rates 100 and 0: mean 50, stdev 50, threshold 50 - 1.0 * 50 = 0; nothing is below 0
    assertThat(outliers(hosts, new OutlierEjector.SuccessRate(0, 0, 1000))).isEmpty();
    // at 0.5 stdev the threshold is 25
    assertThat(outliers(hosts, new OutlierEjector.SuccessRate(0, 0, 500)))
        .extracting(Host::name).containsExactly("bad");
  }

  @Test
  void negativeSettingsAreRefused() {
    assertThatThrownBy(() -> new OutlierEjector.SuccessRate(-1, 100, 1900))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("minimum hosts -1");
  }
}
