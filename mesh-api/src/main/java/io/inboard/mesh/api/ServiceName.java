package io.inboard.mesh.api;

import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;

/**
 * The logical name of a service a client calls: a Kubernetes Service name, its namespace and
 * optionally one of its ports.
 *
 * <p>{@link #parse(String, String)} accepts the forms Istio users write: {@code reviews},
 * {@code reviews.default}, {@code reviews.default.svc}, {@code reviews.default.svc.cluster.local},
 * each optionally followed by {@code :9080} (a service port number) or {@code :http} (a service
 * port name).
 *
 * @param name the Service's name (a DNS-1035 label)
 * @param namespace the Service's namespace
 * @param port the service port number, or {@code 0} when not given (the Service's only port is
 *     used; a Service with several ports then needs {@code portName} or {@code port})
 * @param portName the service port name, or {@code ""} when not given
 */
public record ServiceName(String name, String namespace, int port, String portName) {

  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  public ServiceName {
    requireNonNull(name, "name");
    requireNonNull(namespace, "namespace");
    requireNonNull(portName, "portName");
    if (!LABEL.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "service name: '" + name + "' (expected: a DNS label such as 'reviews')");
    }
    if (!LABEL.matcher(namespace).matches()) {
      throw new IllegalArgumentException(
          "namespace: '" + namespace + "' (expected: a DNS label such as 'default')");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port: " + port + " (expected: 0..65535)");
    }
    if (!portName.isEmpty() && !LABEL.matcher(portName).matches()) {
      throw new IllegalArgumentException(
          "port name: '" + portName + "' (expected: a DNS label such as 'http')");
    }
  }

  /** A name with no port: the Service's only port is used. */
  public static ServiceName of(String name, String namespace) {
    return new ServiceName(name, namespace, 0, "");
  }

  /** A name with a service port number. */
  public static ServiceName of(String name, String namespace, int port) {
    return new ServiceName(name, namespace, port, "");
  }

  /**
   * Parses {@code NAME[.NAMESPACE[.svc[.CLUSTER_DOMAIN]]][:PORT]}.
   *
   * @param text the name as written by the user
   * @param defaultNamespace the namespace used when {@code text} has none (usually the caller's)
   * @throws IllegalArgumentException naming the text and what was expected
   */
  public static ServiceName parse(String text, String defaultNamespace) {
    requireNonNull(text, "text");
    requireNonNull(defaultNamespace, "defaultNamespace");
    String host = text.trim();
    int port = 0;
    String portName = "";
    int colon = host.lastIndexOf(':');
    if (colon >= 0) {
      String p = host.substring(colon + 1);
      host = host.substring(0, colon);
      if (p.isEmpty()) {
        throw invalid(text);
      }
      if (p.chars().allMatch(Character::isDigit)) {
        try {
          port = Integer.parseInt(p);
        } catch (NumberFormatException e) {
          throw invalid(text);
        }
      } else {
        portName = p;
      }
    }
    String[] parts = host.split("\\.", -1);
    if (host.isEmpty() || parts.length == 0) {
      throw invalid(text);
    }
    for (String part : parts) {
      if (part.isEmpty()) {
        throw invalid(text);
      }
    }
    String namespace = parts.length >= 2 ? parts[1] : defaultNamespace;
    if (parts.length >= 3 && !parts[2].equals("svc")) {
      throw invalid(text);
    }
    try {
      return new ServiceName(parts[0], namespace, port, portName);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "service: '" + text + "' is invalid: " + e.getMessage(), e);
    }
  }

  private static IllegalArgumentException invalid(String text) {
    return new IllegalArgumentException(
        "service: '" + text + "' (expected: NAME[.NAMESPACE[.svc[.DOMAIN]]][:PORT],"
            + " such as 'reviews', 'reviews.default' or 'reviews.default.svc.cluster.local:9080')");
  }

  /** The same service without a port. Discovery state is kept per service, not per port. */
  public ServiceName withoutPort() {
    return port == 0 && portName.isEmpty() ? this : new ServiceName(name, namespace, 0, "");
  }

  /** {@code name.namespace.svc.<clusterDomain>}, the host Istio resources refer to. */
  public String fqdn(String clusterDomain) {
    return name + "." + namespace + ".svc." + clusterDomain;
  }

  /** {@code name.namespace[:port]}: short, unambiguous, used in log and error messages. */
  @Override
  public String toString() {
    String base = name + "." + namespace;
    if (port != 0) {
      return base + ":" + port;
    }
    return portName.isEmpty() ? base : base + ":" + portName;
  }
}
