package io.inboard.mesh.http.internal.lb;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** A uniformly random endpoint. */
final class RandomPicker implements EndpointPicker {

  private final EndpointState[] endpoints;

  RandomPicker(List<EndpointState> endpoints) {
    this.endpoints = endpoints.toArray(new EndpointState[0]);
  }

  @Override
  public EndpointState pick(long hash, EndpointState avoid) {
    int n = endpoints.length;
    int i = ThreadLocalRandom.current().nextInt(n);
    if (endpoints[i] == avoid && n > 1) {
      i = (i + 1 + ThreadLocalRandom.current().nextInt(n - 1)) % n;
    }
    return endpoints[i];
  }
}
