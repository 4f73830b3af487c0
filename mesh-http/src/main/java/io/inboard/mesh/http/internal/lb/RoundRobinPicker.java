package io.inboard.mesh.http.internal.lb;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/** Each endpoint in turn. It starts at a random offset so that many clients do not align. */
final class RoundRobinPicker implements EndpointPicker {

  private final EndpointState[] endpoints;
  private final AtomicInteger next;

  RoundRobinPicker(List<EndpointState> endpoints) {
    this.endpoints = endpoints.toArray(new EndpointState[0]);
    this.next = new AtomicInteger(ThreadLocalRandom.current().nextInt(this.endpoints.length));
  }

  @Override
  public EndpointState pick(long hash, EndpointState avoid) {
    int n = endpoints.length;
    EndpointState e = endpoints[Math.floorMod(next.getAndIncrement(), n)];
    if (e == avoid && n > 1) {
      e = endpoints[Math.floorMod(next.getAndIncrement(), n)];
    }
    return e;
  }
}
