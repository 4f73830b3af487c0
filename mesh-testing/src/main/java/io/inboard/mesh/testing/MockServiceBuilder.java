package io.inboard.mesh.testing;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.inboard.mesh.testing.internal.ServicePortState;
import io.inboard.mesh.testing.internal.ServiceState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Declares a Service in a {@link MockCluster}. Creating a Service that already exists replaces
 * it, which is how a test changes a Service's ports or selector.
 */
public final class MockServiceBuilder {

  private final MockCluster cluster;
  private final String name;
  private final String namespace;
  private final Map<String, String> selector = new LinkedHashMap<>();
  private final List<ServicePortState> ports = new ArrayList<>();

  MockServiceBuilder(MockCluster cluster, String name, String namespace) {
    this.cluster = cluster;
    this.name = name;
    this.namespace = namespace;
  }

  /**
   * Adds a selector label. Pods carrying every selector label are the Service's endpoints. A
   * Service without a selector gets no EndpointSlices from the cluster (default: none).
   */
  public MockServiceBuilder selector(String key, String value) {
    selector.put(requireNonNull(key, "key"), requireNonNull(value, "value"));
    return this;
  }

  /**
   * Adds a port whose target is a container port number.
   *
   * @param name the port name, or {@code ""} for a Service's only port
   * @param port the Service port, 1..65535
   * @param targetPort the container port, 1..65535
   */
  public MockServiceBuilder port(String name, int port, int targetPort) {
    checkPort("targetPort", targetPort);
    return addPort(name, port, new IntOrString(targetPort));
  }

  /**
   * Adds a port whose target is a named container port, resolved per pod through the pods'
   * {@link MockPodBuilder#containerPort container ports}, as Kubernetes does.
   *
   * @param name the port name, or {@code ""} for a Service's only port
   * @param port the Service port, 1..65535
   * @param targetPort the name of a container port
   */
  public MockServiceBuilder port(String name, int port, String targetPort) {
    requireNonNull(targetPort, "targetPort");
    if (targetPort.isEmpty()) {
      throw new IllegalArgumentException("targetPort: '' (expected: a container port name)");
    }
    return addPort(name, port, new IntOrString(targetPort));
  }

  /** Writes the Service (replacing any with the same name) and its EndpointSlices. */
  public void create() {
    if (ports.isEmpty()) {
      throw new IllegalStateException(
          "service " + namespace + "/" + name + ": no ports (expected: at least one port(...))");
    }
    cluster.putService(new ServiceState(name, namespace, selector, ports));
  }

  private MockServiceBuilder addPort(String portName, int port, IntOrString target) {
    requireNonNull(portName, "name");
    checkPort("port", port);
    ports.add(new ServicePortState(portName, port, target));
    return this;
  }

  private static void checkPort(String field, int value) {
    if (value < 1 || value > 65535) {
      throw new IllegalArgumentException(field + ": " + value + " (expected: 1..65535)");
    }
  }
}
