package io.inboard.mesh.testing.internal;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/**
 * A declared Service as the fake endpoints controller sees it.
 *
 * @param name the Service name
 * @param namespace its namespace
 * @param selector the pod selector; empty means the controller leaves its EndpointSlices alone
 * @param ports the Service ports, in declaration order
 */
public record ServiceState(
    String name, String namespace, Map<String, String> selector, List<ServicePortState> ports) {

  public ServiceState {
    requireNonNull(name, "name");
    requireNonNull(namespace, "namespace");
    selector = Map.copyOf(requireNonNull(selector, "selector"));
    ports = List.copyOf(requireNonNull(ports, "ports"));
  }

  /** Whether this Service selects {@code pod}, as the real controller decides it. */
  public boolean selects(PodState pod) {
    if (selector.isEmpty() || !pod.namespace().equals(namespace)) {
      return false;
    }
    for (Map.Entry<String, String> e : selector.entrySet()) {
      if (!e.getValue().equals(pod.labels().get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }
}
