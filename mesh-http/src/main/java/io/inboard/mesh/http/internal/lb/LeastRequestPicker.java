package io.inboard.mesh.http.internal.lb;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Power of two choices: of two distinct random endpoints, the one with fewer tries in flight
 * (Envoy's default for LEAST_REQUEST). It avoids the herding a global minimum would cause.
 */
final class LeastRequestPicker implements EndpointPicker {

  private final EndpointState[] endpoints;

  LeastRequestPicker(List<EndpointState> endpoints) {
    this.endpoints = endpoints.toArray(new EndpointState[0]);
  }

  @Override
  public EndpointState pick(long hash, EndpointState avoid) {
    int n = endpoints.length;
    if (n == 1) {
      return endpoints[0];
    }
    ThreadLocalRandom random = ThreadLocalRandom.current();
    int a = random.nextInt(n);
    int b = (a + 1 + random.nextInt(n - 1)) % n;
    EndpointState first = endpoints[a];
    EndpointState second = endpoints[b];
    if (first == avoid) {
      return second;
    }
    if (second == avoid) {
      return first;
    }
    return second.active.get() < first.active.get() ? second : first;
  }
}
