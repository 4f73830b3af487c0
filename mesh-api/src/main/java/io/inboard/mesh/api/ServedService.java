package io.inboard.mesh.api;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The service a workload serves, as it announces it to a control plane for auto-registration:
 * the short Service name (its namespace is the workload's) and its named ports.
 *
 * @param name the Service's short name, such as {@code reviews}
 * @param ports port name to port number, such as {@code grpc -> 9080}; at least one, in the
 *     order given
 */
public record ServedService(String name, Map<String, Integer> ports) {

  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  public ServedService {
    requireNonNull(name, "name");
    requireNonNull(ports, "ports");
    if (!LABEL.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "serves.name: '" + name + "' (expected: a short DNS label such as 'reviews')");
    }
    if (ports.isEmpty()) {
      throw new IllegalArgumentException(
          "serves.ports: {} (expected: at least one port, such as {grpc=9080})");
    }
    Map<String, Integer> copy = new LinkedHashMap<>();
    ports.forEach((portName, port) -> {
      if (portName == null || !LABEL.matcher(portName).matches()) {
        throw new IllegalArgumentException("serves.ports: name '" + portName
            + "' (expected: a DNS label such as 'grpc')");
      }
      if (port == null || port < 1 || port > 65535) {
        throw new IllegalArgumentException(
            "serves.ports." + portName + ": " + port + " (expected: 1..65535)");
      }
      copy.put(portName, port);
    });
    ports = Collections.unmodifiableMap(copy);
  }
}
