package io.inboard.mesh.testing.internal;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.IntOrString;

/**
 * One port of a declared Service.
 *
 * @param name the port name; {@code ""} is allowed for a Service's only port
 * @param port the Service port number
 * @param targetPort a container port number or the name of a container port
 */
public record ServicePortState(String name, int port, IntOrString targetPort) {
  public ServicePortState {
    requireNonNull(name, "name");
    requireNonNull(targetPort, "targetPort");
  }
}
