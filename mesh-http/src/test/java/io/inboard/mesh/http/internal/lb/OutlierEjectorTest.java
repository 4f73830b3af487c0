package io.inboard.mesh.http.internal.lb;

import static org.assertj.core.api.Assertions.assertThat;

import io.inboard.mesh.api.discovery.Endpoint;
import io.inboard.mesh.api.policy.OutlierDetectionPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OutlierEjectorTest {

  private static final long SECOND = 1_000_000_000L;

  private static List<EndpointState> endpoints(int n) {
    List<EndpointState> list = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      list.add(new EndpointState(Endpoint.ready("10.0.0." + (i + 1), 9080)));
    }
    return list;
  }

  private static OutlierDetectionPolicy policy(int c5xx, int cGateway, int maxPercent) {
    return new OutlierDetectionPolicy(c5xx, cGateway, Duration.ofSeconds(10), Duration.ofSeconds(30),
        maxPercent, Optional.empty());
  }

  @Test
  void thresholdIsReachedByConsecutive5xxOrGatewayErrors() {
    EndpointState e = endpoints(1).get(0);
    OutlierEjector ejector = new OutlierEjector(policy(3, 2, 100));
    e.consecutive5xx.set(2);
    assertThat(ejector.shouldEject(e)).isFalse();
    e.consecutive5xx.set(3);
    assertThat(ejector.shouldEject(e)).isTrue();
    e.consecutive5xx.set(0);
    e.consecutiveGatewayErrors.set(2);
    assertThat(ejector.shouldEject(e)).isTrue();
    assertThat(new OutlierEjector(policy(0, 0, 100)).shouldEject(e)).isFalse();
  }

  @Test
  void neverEjectsMoreThanMaxEjectionPercentButAlwaysAtLeastOne() {
    List<EndpointState> ten = endpoints(10);
    OutlierEjector ejector = new OutlierEjector(policy(1, 0, 20));
    int ejected = 0;
    for (EndpointState e : ten) {
      if (ejector.eject(e, ten, 0)) {
        ejected++;
      }
    }
    assertThat(ejected).isEqualTo(2);

    List<EndpointState> three = endpoints(3);
    OutlierEjector tenPercent = new OutlierEjector(policy(1, 0, 10));
    assertThat(tenPercent.eject(three.get(0), three, 0)).isTrue();
    assertThat(tenPercent.eject(three.get(1), three, 0)).isFalse();
  }

  @Test
  void ejectionTimeGrowsWithEachEjectionAndEndsOnReadmission() {
    List<EndpointState> eps = endpoints(2);
    EndpointState e = eps.get(0);
    OutlierEjector ejector = new OutlierEjector(policy(1, 0, 50));

    assertThat(ejector.eject(e, eps, 0)).isTrue();
    assertThat(e.ejectedUntilNanos).isEqualTo(30 * SECOND);
    assertThat(OutlierEjector.readmitDue(eps, 30 * SECOND - 1)).isFalse();
    assertThat(OutlierEjector.readmitDue(eps, 30 * SECOND)).isTrue();
    assertThat(e.isEjected()).isFalse();

    // Ejected again within one interval of coming back: twice the base time.
    assertThat(ejector.eject(e, eps, 35 * SECOND)).isTrue();
    assertThat(e.ejectedUntilNanos - 35 * SECOND).isEqualTo(60 * SECOND);
    assertThat(OutlierEjector.readmitDue(eps, 95 * SECOND)).isTrue();

    // Healthy for 2+ intervals: the multiplier decays back to 1.
    assertThat(ejector.eject(e, eps, 200 * SECOND)).isTrue();
    assertThat(e.ejectedUntilNanos - 200 * SECOND).isEqualTo(30 * SECOND);
  }

  @Test
  void ejectionResetsTheStreaks() {
    List<EndpointState> eps = endpoints(2);
    EndpointState e = eps.get(0);
    e.consecutive5xx.set(5);
    e.consecutiveGatewayErrors.set(5);
    new OutlierEjector(policy(5, 5, 50)).eject(e, eps, 0);
    assertThat(e.consecutive5xx.get()).isZero();
    assertThat(e.consecutiveGatewayErrors.get()).isZero();
  }

  private static OutlierEjector successRateEjector(int minimumHosts, int volume) {
    return new OutlierEjector(OutlierDetectionPolicy.builder().consecutive5xxErrors(0)
        .maxEjectionPercent(100)
        .successRate(new OutlierDetectionPolicy.SuccessRate(minimumHosts, volume, 1900)).build(), 0);
  }

  /** Records {@code tries} tries to {@code e} in the current interval, {@code failures} failed. */
  private static void served(EndpointState e, int tries, int failures) {
    e.intervalTries.addAndGet(tries);
    e.intervalFailures.addAndGet(failures);
  }

  @Test
  void successRateSweep_ejectsTheEndpointFarBelowTheOthers_onlyOncePerInterval() {
    List<EndpointState> six = endpoints(6);
    OutlierEjector ejector = successRateEjector(5, 100);
    for (int i = 0; i < 5; i++) {
      served(six.get(i), 200, i % 2); // 99.5% to 100%
    }
    served(six.get(5), 200, 100); // 50%

    assertThat(ejector.sweepDue(5 * SECOND)).isFalse();
    assertThat(ejector.sweepDue(10 * SECOND)).isTrue();
    assertThat(ejector.sweepDue(10 * SECOND)).as("one sweep per interval").isFalse();
    assertThat(ejector.sweepSuccessRate(six, 10 * SECOND)).isTrue();

    assertThat(six.get(5).ejected).isTrue();
    assertThat(six.subList(0, 5)).noneMatch(e -> e.ejected);
    assertThat(six).allMatch(e -> e.intervalTries.get() == 0, "counts start over");
  }

  @Test
  void successRateSweep_judgesNothingWithFewerThanMinimumHostsOrTooFewRequests() {
    List<EndpointState> six = endpoints(6);
    OutlierEjector ejector = successRateEjector(5, 100);
    for (int i = 0; i < 4; i++) {
      served(six.get(i), 200, 0);
    }
    // below the request volume, these are not judged, so only four endpoints are
    served(six.get(4), 99, 0);
    served(six.get(5), 99, 90);

    assertThat(ejector.sweepSuccessRate(six, 10 * SECOND)).isFalse();
    assertThat(six).noneMatch(e -> e.ejected);
  }

  @Test
  void successRateSweep_ejectsNobodyWhenAllFailAlike() {
    List<EndpointState> five = endpoints(5);
    OutlierEjector ejector = successRateEjector(5, 100);
    five.forEach(e -> served(e, 100, 50));

    assertThat(ejector.sweepSuccessRate(five, 10 * SECOND)).isFalse();
  }
}
