package io.inboard.mesh.k8s.internal;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.inboard.mesh.api.ServiceName;
import io.inboard.mesh.api.ServiceUnavailableException.Reason;
import io.inboard.mesh.api.discovery.Endpoint;
import io.inboard.mesh.api.discovery.ServiceEndpoints;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Turns a Service, its EndpointSlices and the Pods behind them into the endpoints of one
 * requested service port. Pure: it reads what the informers hold and never calls the API.
 */
public final class EndpointsResolver {

  private EndpointsResolver() {}

  /**
   * Resolves {@code requested} against {@code service}.
   *
   * @param requested the service and port a client asked for
   * @param service the Service, present
   * @param slices the Service's EndpointSlices
   * @param pods looks a pod up by name in the Service's namespace; {@code null} when unknown.
   *     An endpoint whose target Pod is unknown is left out until the Pod is known.
   */
  public static Resolution resolve(
      ServiceName requested, Service service, List<EndpointSlice> slices,
      Function<String, Pod> pods) {
    List<ServicePort> ports =
        service.getSpec() == null || service.getSpec().getPorts() == null
            ? List.of() : service.getSpec().getPorts();
    ServicePort port = servicePort(requested, ports);
    if (port == null) {
      return new Resolution.Failed(requested, Reason.PORT_NOT_FOUND, portDetail(requested, ports));
    }
    String portName = Objects.requireNonNullElse(port.getName(), "");
    ServiceName resolved = new ServiceName(
        requested.name(), requested.namespace(), port.getPort(), portName);

    // The same address can sit in two slices while the controller moves it: keep one.
    Map<String, Endpoint> byAuthority = new LinkedHashMap<>();
    for (EndpointSlice slice : slices) {
      Integer number = slicePort(slice, portName);
      if (number == null || slice.getEndpoints() == null) {
        continue; // the pods of this slice do not expose the port (unresolvable named target)
      }
      for (var e : slice.getEndpoints()) {
        Endpoint endpoint = endpoint(e, number, pods);
        if (endpoint != null) {
          byAuthority.putIfAbsent(endpoint.authority(), endpoint);
        }
      }
    }
    List<Endpoint> endpoints = new ArrayList<>(byAuthority.values());
    // A stable order, so that a slice being rewritten in another order is no change.
    endpoints.sort(Comparator.comparing(Endpoint::address).thenComparingInt(Endpoint::port));
    return new Resolution.Resolved(new ServiceEndpoints(resolved, endpoints));
  }

  private static ServicePort servicePort(ServiceName requested, List<ServicePort> ports) {
    if (requested.port() == 0 && requested.portName().isEmpty()) {
      return ports.size() == 1 ? ports.get(0) : null;
    }
    for (ServicePort p : ports) {
      boolean numberMatches = requested.port() == 0 || requested.port() == p.getPort();
      boolean nameMatches = requested.portName().isEmpty()
          || requested.portName().equals(p.getName());
      if (numberMatches && nameMatches) {
        return p;
      }
    }
    return null;
  }

  private static String portDetail(ServiceName requested, List<ServicePort> ports) {
    String available = ports.isEmpty() ? "none" : ports.stream()
        .map(p -> p.getName() == null || p.getName().isEmpty()
            ? String.valueOf(p.getPort()) : p.getName() + "/" + p.getPort())
        .collect(Collectors.joining(", "));
    if (requested.port() == 0 && requested.portName().isEmpty()) {
      return "port: <none> (expected: one of the service's ports [" + available
          + "], since it has " + ports.size() + ")";
    }
    String asked = requested.port() != 0 ? String.valueOf(requested.port()) : requested.portName();
    if (requested.port() != 0 && !requested.portName().isEmpty()) {
      asked = requested.portName() + "/" + requested.port();
    }
    return "port: " + asked + " (expected: one of [" + available + "])";
  }

  private static Integer slicePort(EndpointSlice slice, String portName) {
    if (slice.getPorts() == null) {
      return null;
    }
    for (EndpointPort p : slice.getPorts()) {
      if (portName.equals(Objects.requireNonNullElse(p.getName(), "")) && p.getPort() != null) {
        return p.getPort();
      }
    }
    return null;
  }

  private static Endpoint endpoint(
      io.fabric8.kubernetes.api.model.discovery.v1.Endpoint e, int port,
      Function<String, Pod> pods) {
    if (e.getAddresses() == null || e.getAddresses().isEmpty() || port <= 0 || port > 65535) {
      return null;
    }
    // discovery.k8s.io/v1: a nil condition means "unknown" and consumers treat it as follows.
    EndpointConditions c = e.getConditions();
    boolean ready = c == null || c.getReady() == null || c.getReady();
    boolean serving = c == null || c.getServing() == null ? ready : c.getServing();
    boolean terminating = c != null && c.getTerminating() != null && c.getTerminating();
    ObjectReference ref = e.getTargetRef();
    String podName = ref != null && "Pod".equals(ref.getKind()) && ref.getName() != null
        ? ref.getName() : "";
    Map<String, String> labels = Map.of();
    if (!podName.isEmpty()) {
      Pod pod = pods.apply(podName);
      if (pod == null) {
        // The Pod and EndpointSlice watches are not ordered: hold the endpoint back until its
        // labels are known, so that subset routing never sees it unlabelled (and listeners are
        // not told twice). Pods exist before their endpoints, so the wait is one event.
        return null;
      }
      if (pod.getMetadata().getLabels() != null) {
        labels = pod.getMetadata().getLabels();
      }
    }
    return new Endpoint(e.getAddresses().get(0), port, ready, serving, terminating, podName,
        Objects.requireNonNullElse(e.getZone(), ""), labels);
  }
}
