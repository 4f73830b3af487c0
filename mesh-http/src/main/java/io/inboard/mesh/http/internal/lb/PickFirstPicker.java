package io.inboard.mesh.http.internal.lb;

import java.util.List;

/**
 * The first endpoint (in address order) that has not failed since its last success; when all
 * are failing, the first one. So traffic stays on one endpoint until it fails, like gRPC's
 * {@code pick_first}, and goes back once it succeeds again.
 */
final class PickFirstPicker implements EndpointPicker {

  private final EndpointState[] endpoints;

  PickFirstPicker(List<EndpointState> endpoints) {
    this.endpoints = endpoints.toArray(new EndpointState[0]);
  }

  @Override
  public EndpointState pick(long hash, EndpointState avoid) {
    EndpointState fallback = null;
    for (EndpointState e : endpoints) {
      if (e == avoid) {
        continue;
      }
      if (!e.failing()) {
        return e;
      }
      if (fallback == null) {
        fallback = e;
      }
    }
    return fallback != null ? fallback : endpoints[0];
  }
}
