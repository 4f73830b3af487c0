package io.inboard.mesh.http.internal.lb;

import static org.assertj.core.api.Assertions.assertThat;

import io.inboard.mesh.api.discovery.Endpoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PickersTest {

  private static List<EndpointState> endpoints(int n) {
    List<EndpointState> list = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      list.add(new EndpointState(Endpoint.ready("10.0.0." + (i + 1), 9080)));
    }
    return list;
  }

  private static Map<EndpointState, Integer> count(EndpointPicker picker, int picks) {
    Map<EndpointState, Integer> counts = new HashMap<>();
    for (int i = 0; i < picks; i++) {
      counts.merge(picker.pick(0, null), 1, Integer::sum);
    }
    return counts;
  }

  @Test
  void roundRobinIsExactlyEven() {
    List<EndpointState> eps = endpoints(4);
    Map<EndpointState, Integer> counts = count(new RoundRobinPicker(eps), 4000);
    assertThat(counts).hasSize(4).allSatisfy((e, c) -> assertThat(c).isEqualTo(1000));
  }

  @Test
  void everyPickerRetriesOnAnotherEndpoint() {
    List<EndpointState> eps = endpoints(3);
    for (EndpointPicker p : List.of(new RoundRobinPicker(eps), new RandomPicker(eps),
        new LeastRequestPicker(eps), new PickFirstPicker(eps), new RingHashPicker(eps, 64))) {
      for (int i = 0; i < 200; i++) {
        EndpointState avoid = eps.get(i % 3);
        assertThat(p.pick(Hashing.hash("k" + i), avoid)).as(p.getClass().getSimpleName())
            .isNotSameAs(avoid);
      }
    }
  }

  @Test
  void randomSpreadsWithinTolerance() {
    Map<EndpointState, Integer> counts = count(new RandomPicker(endpoints(4)), 40_000);
    // Expected 10,000 each; 5 % tolerance is > 10 standard deviations.
    assertThat(counts).hasSize(4).allSatisfy((e, c) -> assertThat(c).isBetween(9_500, 10_500));
  }

  @Test
  void leastRequestPrefersTheLessLoadedOfTwo() {
    List<EndpointState> eps = endpoints(2);
    eps.get(0).active.set(5);
    assertThat(count(new LeastRequestPicker(eps), 100)).containsOnlyKeys(eps.get(1));
  }

  @Test
  void pickFirstStaysOnFirstUntilItFails() {
    List<EndpointState> eps = endpoints(3);
    PickFirstPicker p = new PickFirstPicker(eps);
    assertThat(count(p, 10)).containsOnlyKeys(eps.get(0));
    eps.get(0).consecutive5xx.set(1);
    assertThat(count(p, 10)).containsOnlyKeys(eps.get(1));
    eps.get(0).consecutive5xx.set(0);
    assertThat(count(p, 10)).containsOnlyKeys(eps.get(0));
  }

  @Test
  void ringHashKeepsAKeyOnOneEndpointAndMovesFewKeysWhenOneIsAdded() {
    List<EndpointState> four = endpoints(4);
    RingHashPicker ring = new RingHashPicker(four, 1024);
    assertThat(ring.size()).isEqualTo(1024);
    Map<String, EndpointState> owner = new HashMap<>();
    for (int k = 0; k < 1000; k++) {
      String key = "user-" + k;
      owner.put(key, ring.pick(Hashing.hash(key), null));
      for (int again = 0; again < 3; again++) {
        assertThat(ring.pick(Hashing.hash(key), null)).isSameAs(owner.get(key));
      }
    }
    assertThat(new ArrayList<>(owner.values()).stream().distinct().count()).isEqualTo(4);

    List<EndpointState> five = new ArrayList<>(four);
    five.add(new EndpointState(Endpoint.ready("10.0.0.99", 9080)));
    RingHashPicker grown = new RingHashPicker(five, 1024);
    int moved = 0;
    for (Map.Entry<String, EndpointState> e : owner.entrySet()) {
      EndpointState now = grown.pick(Hashing.hash(e.getKey()), null);
      if (now != e.getValue()) {
        moved++;
        assertThat(now.authority()).isEqualTo("10.0.0.99:9080");
      }
    }
    // Ideal is 1/5 of the keys (200); a modulo hash would move ~800.
    assertThat(moved).isBetween(100, 320);
  }

  @Test
  void ringHasAtLeastMinimumSizeAndPowerOfTwoPointsPerEndpoint() {
    assertThat(RingHashPicker.perEndpoint(1024, 4)).isEqualTo(256);
    assertThat(RingHashPicker.perEndpoint(1024, 5)).isEqualTo(256);
    assertThat(RingHashPicker.perEndpoint(1024, 3)).isEqualTo(512);
    assertThat(RingHashPicker.perEndpoint(1, 3)).isEqualTo(1);
    assertThat(RingHashPicker.perEndpoint(2, 1)).isEqualTo(2);
    assertThat(new RingHashPicker(endpoints(3), 1024).size()).isEqualTo(1536);
  }

  @Test
  void hashKeysComeFromHeaderCookieOrQueryParameter() {
    var request = java.net.http.HttpRequest.newBuilder(
            java.net.URI.create("http://reviews/p?a=1&user=jason%20s"))
        .header("x-user", "jason").header("Cookie", "a=b; session=42").build();
    assertThat(HashKeys.value(new io.inboard.mesh.api.policy.LoadBalancerPolicy.HashKey.Header(
        "X-User"), request)).isEqualTo("jason");
    assertThat(HashKeys.value(new io.inboard.mesh.api.policy.LoadBalancerPolicy.HashKey.Cookie(
        "session"), request)).isEqualTo("42");
    assertThat(HashKeys.value(
        new io.inboard.mesh.api.policy.LoadBalancerPolicy.HashKey.QueryParameter("user"),
        request)).isEqualTo("jason s");
  }
}
