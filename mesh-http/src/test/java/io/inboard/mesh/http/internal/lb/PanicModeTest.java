package io.inboard.mesh.http.internal.lb;

import static org.assertj.core.api.Assertions.assertThat;

import io.inboard.mesh.api.ServiceName;
import io.inboard.mesh.api.discovery.Endpoint;
import io.inboard.mesh.api.discovery.ServiceEndpoints;
import io.inboard.mesh.api.policy.LoadBalancerPolicy;
import io.inboard.mesh.api.policy.OutlierDetectionPolicy;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Envoy's panic mode on the HTTP plane: below minHealthPercent left in, ejection is ignored. */
class PanicModeTest {
  private static final ServiceName REVIEWS = ServiceName.of("reviews", "default", 9080);

  private static EndpointSet threeEndpoints(int minHealthPercent) {
    EndpointSet set = new EndpointSet(REVIEWS, LoadBalancerPolicy.ROUND_ROBIN,
        Optional.of(OutlierDetectionPolicy.builder().consecutive5xxErrors(1)
            .maxEjectionPercent(100).minHealthPercent(minHealthPercent).build()));
    set.onEndpoints(new ServiceEndpoints(REVIEWS, List.of(Endpoint.ready("127.0.0.1", 9081),
        Endpoint.ready("127.0.0.1", 9082), Endpoint.ready("127.0.0.1", 9083))));
    return set;
  }

  private static Set<String> picked(EndpointSet set) {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 30; i++) {
      seen.add(set.current().picker().pick(0, null).authority());
    }
    return seen;
  }

  @Test
  void twoOfThreeEjectedBelowAHalf_callsGoToAllThree() {
    EndpointSet set = threeEndpoints(50);
    List<EndpointState> eps = set.endpoints();

    set.record(eps.get(0), TryOutcome.SERVER_ERROR);
    // one of three out leaves 66 %: no panic, the ejected one gets no calls
    assertThat(eps.get(0).isEjected()).isTrue();
    assertThat(picked(set)).containsExactlyInAnyOrder("127.0.0.1:9082", "127.0.0.1:9083");

    set.record(eps.get(1), TryOutcome.SERVER_ERROR);
    // 33 % left in, below 50: panic, every endpoint takes calls, ejected or not
    assertThat(eps.get(1).isEjected()).isTrue();
    assertThat(set.ejectedNow()).isEqualTo(2);
    assertThat(picked(set)).containsExactlyInAnyOrder(
        "127.0.0.1:9081", "127.0.0.1:9082", "127.0.0.1:9083");
  }

  @Test
  void withoutMinHealthPercent_ejectedEndpointsStayOut() {
    EndpointSet set = threeEndpoints(0);
    List<EndpointState> eps = set.endpoints();

    set.record(eps.get(0), TryOutcome.SERVER_ERROR);
    set.record(eps.get(1), TryOutcome.SERVER_ERROR);

    assertThat(picked(set)).containsExactly("127.0.0.1:9083");
  }

  @Test
  void everyEndpointEjected_panicStillServesThemAll() {
    EndpointSet set = threeEndpoints(1);
    List<EndpointState> eps = set.endpoints();
    for (EndpointState e : eps) {
      set.record(e, TryOutcome.SERVER_ERROR);
    }

    assertThat(set.ejectedNow()).isEqualTo(3);
    assertThat(set.current().error()).isNull();
    assertThat(picked(set)).hasSize(3);
  }
}
