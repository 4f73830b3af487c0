package io.inboard.mesh.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.inboard.mesh.api.discovery.Endpoint;
import io.inboard.mesh.api.policy.OutlierDetection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

  private static OutlierDetection policy(int c5xx, int cGateway, int maxPercent) {
    return new OutlierDetection(c5xx, cGateway, Duration.ofSeconds(10), Duration.ofSeconds(30),
        maxPercent);
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
}
